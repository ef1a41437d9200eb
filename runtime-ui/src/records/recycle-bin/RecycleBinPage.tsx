import { RollbackOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ClientObject } from '@crm/engine/core';
import { App, Button, Card, Empty, List, Result, Table, Typography } from 'antd';
import { useWideScreen } from '../../shell/use-wide-screen';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ApiError } from '../../api/client';
import { FieldValue } from '../../fields/FieldValue';
import { currentLocale } from '../../i18n/i18n';
import { useMetadata } from '../../metadata/client-metadata';
import { textOf } from '../../metadata/labels';
import { paths } from '../../shell/navigation';
import { userName, useUsers } from '../../users/user-directory';
import { listRecords, recordKeys, restoreRecord, type RecordData } from '../record-api';
import { recordTitle, referenceId } from '../page/record-values';
import '../page/record-page.css';

const PAGE = 50;

/** `/o/:object/recycle-bin`: the object's deleted records, newest deletion first, each restorable. */
export default function RecycleBinPage() {
  const { object: objectName = '' } = useParams();
  const metadata = useMetadata();
  const { t } = useTranslation();
  const object = metadata.object(objectName);
  if (!object?.permissions.read) return <Result status="404" title={t('record.noObject')} />;
  return <RecycleBin key={object.name} object={object} />;
}

function RecycleBin({ object }: { object: ClientObject }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const client = useQueryClient();
  const users = useUsers();
  const phone = !useWideScreen();
  // Who owns it and who deleted it (the last writer) come expanded, with their names.
  const expand = ['owner_id', 'updated_by'].filter((name) => object.fields.some((f) => f.name === name));
  const params = { deleted: true, sort: '-deleted_at', limit: PAGE, expand };
  const deleted = useInfiniteQuery({
    queryKey: recordKeys.list(object.name, params),
    queryFn: ({ pageParam, signal }) => listRecords(object.name, { ...params, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
  const restore = useMutation({
    mutationFn: (id: string) => restoreRecord(object.name, id),
    onSuccess: (record) => {
      void message.success(t('record.restored', { title: recordTitle(object, record) }));
      return client.invalidateQueries({ queryKey: recordKeys.all(object.name) });
    },
    onError: (error: ApiError) => void message.error(error.message),
  });
  const rows = deleted.data?.pages.flatMap((page) => page.data) ?? [];
  const label = textOf(object.plural_label ?? object.label, locale, object.name);
  const title = (record: RecordData) => recordTitle(object, record);
  const deletedAt = (record: RecordData) => (typeof record.deleted_at === 'string' ? new Date(record.deleted_at).toLocaleString(locale) : '');
  const deletedBy = (record: RecordData) => {
    const by = record.updated_by as { name?: unknown } | string | null | undefined;
    return by && typeof by === 'object' && typeof by.name === 'string' ? by.name : userName(users.data, referenceId(by));
  };
  const owner = object.fields.find((f) => f.name === 'owner_id');
  const restoreButton = (record: RecordData) =>
    object.permissions.delete && (
      <Button
        className="record-touch"
        icon={<RollbackOutlined />}
        loading={restore.isPending && restore.variables === record.id}
        onClick={() => restore.mutate(record.id)}
        aria-label={t('record.restoreNamed', { title: title(record) })}
      >
        {t('record.restore')}
      </Button>
    );

  return (
    <div className="record-page recycle-bin">
      <header className="record-header">
        <div className="record-header__main">
          <Typography.Text type="secondary" className="record-header__object">
            <Link to={paths.list(object.name)}>{label}</Link>
          </Typography.Text>
          <Typography.Title level={3} className="record-header__title">
            {t('record.recycleBinOf', { object: label })}
          </Typography.Title>
          <Typography.Text type="secondary">{t('record.recycleBinHint')}</Typography.Text>
        </div>
      </header>
      {deleted.isError ? (
        <Result status="error" title={t('record.loadFailed')} subTitle={deleted.error.message} />
      ) : phone ? (
        <Card size="small">
          <List
            loading={deleted.isPending}
            dataSource={rows}
            locale={{ emptyText: <Empty description={t('record.binEmpty')} /> }}
            renderItem={(record) => (
              <List.Item className="recycle-bin__item">
                <List.Item.Meta title={title(record)} description={t('record.deletedWhen', { at: deletedAt(record), by: deletedBy(record) })} />
                {restoreButton(record)}
              </List.Item>
            )}
          />
        </Card>
      ) : (
        <Table<RecordData>
          rowKey="id"
          loading={deleted.isPending}
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: <Empty description={t('record.binEmpty')} /> }}
          columns={[
            { key: 'title', title: t('record.name'), render: (_: unknown, record: RecordData) => title(record) },
            ...(owner ? [{ key: 'owner', title: textOf(owner.label, locale, owner.name), render: (_: unknown, record: RecordData) => <FieldValue object={object} field={owner} value={record.owner_id} record={record} /> }] : []),
            { key: 'deleted_at', title: t('record.deletedAt'), render: (_: unknown, record: RecordData) => deletedAt(record) },
            { key: 'deleted_by', title: t('record.deletedBy'), render: (_: unknown, record: RecordData) => deletedBy(record) },
            { key: 'actions', title: '', align: 'right' as const, render: (_: unknown, record: RecordData) => restoreButton(record) },
          ]}
        />
      )}
      {deleted.hasNextPage && (
        <Button block onClick={() => void deleted.fetchNextPage()} loading={deleted.isFetchingNextPage} style={{ marginTop: 12 }}>
          {t('record.loadMore')}
        </Button>
      )}
    </div>
  );
}
