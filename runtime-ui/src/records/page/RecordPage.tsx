import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ClientObject } from '@crm/engine/core';
import { Alert, App, Button, Card, Result, Skeleton } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useMetadata } from '../../metadata/client-metadata';
import { paths } from '../../shell/navigation';
import { SharesDialog } from '../../shares/SharesDialog';
import { ActivityTimeline } from '../../timeline/ActivityTimeline';
import { timelineKeys } from '../../timeline/timeline-sources';
import { deleteRecord, getRecord, recordKeys, type RecordData } from '../record-api';
import { refusalText } from '../refusal';
import { ApprovalPanel } from './approvals/ApprovalPanel';
import { approvalKeys, pendingRequest, recordApprovals } from './approvals/approval-api';
import { DetailBody } from './DetailBody';
import { detailSections, keyFields, recordInfoFields, relatedListsOf, visibleSections } from './detail-layout';
import { OwnerTransferDialog } from './OwnerTransferDialog';
import { fetchRecordEditable } from './record-actions-api';
import { RecordHeader, type HeaderAction } from './RecordHeader';
import { RelatedListCard } from './RelatedLists';
import { recordRuleData, referenceFields, referenceId } from './record-values';
import './record-page.css';

/** `/o/:object/:id`: one record with its layout, children, approvals and activity. */
export default function RecordPage() {
  const { object: objectName = '', id = '' } = useParams();
  const metadata = useMetadata();
  const { t } = useTranslation();
  const object = metadata.object(objectName);
  if (!object?.permissions.read) return <Result status="404" title={t('record.noObject')} />;
  return <RecordScreen key={`${objectName}/${id}`} object={object} id={id} />;
}

/** The record as the page shows it: references expanded so their titles show. */
export function useExpandedRecord(object: ClientObject, id: string) {
  return useQuery({
    queryKey: [...recordKeys.one(object.name, id), 'expanded'],
    queryFn: () => getRecord(object.name, id, referenceFields(object)),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
  });
}

function RecordScreen({ object, id }: { object: ClientObject; id: string }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const metadata = useMetadata();
  const client = useQueryClient();
  const navigate = useNavigate();
  const record = useExpandedRecord(object, id);
  const hasApprovals = object.approval_processes.length > 0;
  const approvals = useQuery({ queryKey: approvalKeys.record(object.name, id), queryFn: () => recordApprovals(object.name, id), enabled: hasApprovals });
  const mayChangeObject = object.permissions.edit || object.permissions.delete || object.permissions.transfer;
  // Under the record's key, so a change of owner (which may take it out of the caller's edit scope) asks again.
  const editability = useQuery({
    queryKey: [...recordKeys.one(object.name, id), 'editable'],
    queryFn: ({ signal }) => fetchRecordEditable(object.name, id, signal),
    enabled: mayChangeObject,
    staleTime: 30_000,
  });
  const [dialog, setDialog] = useState<'transfer' | 'shares' | undefined>();
  // An approver outside the record's scope reads it only while their task waits: after deciding here it is gone.
  const [acted, setActed] = useState(false);

  const sections = useMemo(() => detailSections(object), [object]);
  const related = relatedListsOf(object, metadata.object);
  const data = record.data;
  const shown = useMemo(() => (data ? visibleSections(sections, metadata.compilers, recordRuleData(metadata, object, data)) : []), [data, sections, metadata, object]);

  const reload = () => {
    void client.invalidateQueries({ queryKey: recordKeys.one(object.name, id) });
    // A refusal may come from a request submitted since: the lock shows with the approvals.
    void client.invalidateQueries({ queryKey: approvalKeys.record(object.name, id) });
    void client.invalidateQueries({ queryKey: ['timeline'] });
  };
  const saved = (next: RecordData) => {
    // The PATCH answers with ids, the page shows expanded references: read it again, keep the rest.
    const references = new Set(referenceFields(object));
    client.setQueryData<RecordData>([...recordKeys.one(object.name, id), 'expanded'], (old) => {
      if (!old) return old;
      const merged: Record<string, unknown> = { ...old };
      for (const [key, value] of Object.entries(next)) if (!references.has(key) || referenceId(old[key]) !== value) merged[key] = value;
      return merged as RecordData;
    });
    void client.invalidateQueries({ queryKey: recordKeys.all(object.name) });
    void client.invalidateQueries({ queryKey: timelineKeys.history(object.name, id) });
  };

  if (record.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (record.isError || !data) {
    const gone = record.error instanceof ApiError && record.error.status === 404;
    if (gone && acted) {
      return (
        <Result
          status="success"
          title={t('record.approval.decidedOutOfReach')}
          subTitle={t('record.approval.decidedOutOfReachHint')}
          extra={[
            <Button key="inbox" type="primary" onClick={() => void navigate(paths.approvals())}>
              {t('record.approval.backToInbox')}
            </Button>,
          ]}
        />
      );
    }
    return (
      <Result
        status={gone ? '404' : 'error'}
        title={gone ? t('record.notFound') : t('record.loadFailed')}
        subTitle={gone ? t('record.notFoundHint') : record.error?.message}
        extra={[
          <Button key="list" onClick={() => void navigate(paths.list(object.name))}>
            {t('record.backToList')}
          </Button>,
          ...(gone && object.permissions.delete
            ? [
                <Button key="bin" onClick={() => void navigate(paths.recycleBin(object.name))}>
                  {t('record.recycleBin')}
                </Button>,
              ]
            : []),
        ]}
      />
    );
  }

  const locked = Boolean(pendingRequest(approvals.data)) && !metadata.user.admin;
  // Until the server answers nothing is offered; if it cannot answer, the writes still check.
  const recordEditable = editability.isError || editability.data === true;
  const editable = object.permissions.edit && recordEditable && !locked;
  const actions = new Set<HeaderAction>();
  if (editable) actions.add('edit');
  if (object.permissions.delete && recordEditable && !locked) actions.add('delete');
  if (object.permissions.transfer && recordEditable && !locked) actions.add('transfer');
  actions.add('shares');
  if (object.permissions.delete) actions.add('recycle-bin');

  const confirmDelete = () =>
    modal.confirm({
      title: t('record.deleteTitle'),
      content: t('record.deleteText'),
      okText: t('record.delete'),
      okButtonProps: { danger: true },
      cancelText: t('record.cancel'),
      onOk: async () => {
        try {
          await deleteRecord(object.name, id, data.version);
        } catch (error) {
          void message.error(error instanceof ApiError && error.status === 412 ? t('record.conflict') : refusalText(error, t));
          reload();
          return;
        }
        void message.success(t('record.deleted'));
        void client.invalidateQueries({ queryKey: recordKeys.all(object.name) });
        void navigate(paths.list(object.name));
      },
    });

  const info = recordInfoFields(object);
  return (
    <div className="record-page">
      <RecordHeader
        object={object}
        record={data}
        keyFields={keyFields(object, sections)}
        actions={actions}
        locked={locked}
        onAction={(action) => (action === 'delete' ? confirmDelete() : setDialog(action))}
      />
      {locked && <Alert type="warning" showIcon className="record-section" title={t('record.lockedHint')} />}
      <div className="record-page__columns">
        <main className="record-page__body">
          {hasApprovals && <ApprovalPanel
              object={object}
              recordId={id}
              canEdit={object.permissions.edit && recordEditable}
              version={data.version}
              onChanged={() => {
                setActed(true);
                reload();
              }}
            />}
          <DetailBody object={object} record={data} sections={shown} editable={editable} onSaved={saved} onConflict={reload} />
          {related.map(({ list, child }) => (
            <RelatedListCard key={`${list.object}.${list.field}`} list={list} child={child} parentId={id} />
          ))}
          {info.length > 0 && (
            <DetailBody
              object={object}
              record={data}
              sections={[{ key: 'record-info', label: t('record.info'), columns: 2, cells: info.map((field) => ({ field, span: 1 })), collapsed: true }]}
              editable={false}
              onSaved={saved}
              onConflict={reload}
            />
          )}
        </main>
        <aside className="record-page__side">
          <Card size="small" className="record-section" title={t('record.activity')}>
            <ActivityTimeline object={object} record={data} />
          </Card>
        </aside>
      </div>
      {dialog === 'transfer' && (
        <OwnerTransferDialog
          object={object.name}
          recordId={id}
          currentOwner={referenceId(data.owner_id)}
          open
          onClose={() => setDialog(undefined)}
          onDone={() => {
            setDialog(undefined);
            reload();
          }}
        />
      )}
      {dialog === 'shares' && <SharesDialog object={object.name} recordId={id} open onClose={() => setDialog(undefined)} />}
    </div>
  );
}
