import { DeleteOutlined, DownloadOutlined, EditOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { App, Button, Form, Modal, Select, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientObject } from '@crm/engine/core';
import { returnFocus, useReturnFocus } from '../../app/use-return-focus';
import { FieldInput } from '../../fields/FieldInput';
import { ReferencePicker } from '../../filters/ReferencePicker';
import { recordKeys, type RecordData } from '../record-api';
import { bulkDelete, bulkUpdate, exportUrl, transferOwner, type BulkOutcome } from './bulk-actions';
import type { ShownOutcome } from './BulkOutcomeDialog';
import { fieldLabel, type ListColumn } from './list-columns';
import type { UiLocale } from '../../i18n/i18n';

export interface BulkBarProps {
  readonly object: ClientObject;
  readonly selectedRows: readonly RecordData[];
  readonly columns: readonly ListColumn[];
  readonly titleOf: (row: RecordData) => string;
  /** An action ended: the selection becomes the records to keep selected (those that failed; none to clear it). */
  readonly onDone: (keep: readonly string[]) => void;
  /** Where focus goes when the element a dialog would return it to went with the selection. */
  readonly focusAfter: () => HTMLElement | null;
  /** An action failed for some records: the list shows which (BulkOutcomeDialog). */
  readonly onOutcome: (outcome: ShownOutcome) => void;
}

type Action = 'edit' | 'transfer' | undefined;

/** What the user may do with the selected records; an action's failures go to the list's BulkOutcomeDialog. */
export function BulkBar({ object, selectedRows, columns, titleOf, onDone, focusAfter, onOutcome }: BulkBarProps) {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const [action, setAction] = useState<Action>();
  const [field, setField] = useState<string>();
  const [value, setValue] = useState<unknown>(null);
  const [owner, setOwner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const locale = i18n.language as UiLocale;
  const editable = object.fields.filter((f) => f.mode === 'editable' && !f.system);
  const permissions = object.permissions;
  const count = selectedRows.length;
  const editFocus = useReturnFocus(action === 'edit', focusAfter, 'bulk-field');
  const transferFocus = useReturnFocus(action === 'transfer', focusAfter, 'bulk-owner');
  // The outcome opens from inside the action's dialog: closing it goes back to the bar's button that started the action.
  const actionButton = useRef<HTMLElement | null>(null);

  const finish = async (title: string, done: string, result: BulkOutcome) => {
    await client.invalidateQueries({ queryKey: recordKeys.all(object.name) });
    setAction(undefined);
    if (result.failures.length === 0) {
      void message.success(done);
      onDone([]);
      return;
    }
    // The failed records stay selected, with this bar, to be tried again; a failure without a
    // record (a transfer is all or none) keeps the whole selection.
    onOutcome({ title, result, names: new Map(selectedRows.map((row) => [row.id, titleOf(row)])), returnTo: actionButton.current });
    onDone(result.failures.some((f) => f.id === '') ? selectedRows.map((row) => row.id) : result.failures.map((f) => f.id));
  };
  const run = async (title: string, done: (count: number) => string, work: () => Promise<BulkOutcome>) => {
    setBusy(true);
    try {
      const result = await work();
      await finish(title, done(result.done), result);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('list.bulk.toolbar')}>
      <Typography.Text strong className="bulk-bar__count">
        {t('list.bulk.selected', { count })}
      </Typography.Text>
      <div className="bulk-bar__actions">
        {permissions.edit && editable.length > 0 && (
          <Button icon={<EditOutlined />} onClick={(e) => ((actionButton.current = e.currentTarget), setAction('edit'))} className="touch">
            {t('list.bulk.edit')}
          </Button>
        )}
        {permissions.transfer && (
          <Button icon={<UserSwitchOutlined />} onClick={(e) => ((actionButton.current = e.currentTarget), setAction('transfer'))} className="touch">
            {t('list.bulk.transfer')}
          </Button>
        )}
        {permissions.export && (
          <Button icon={<DownloadOutlined />} href={exportUrl(object.name, { ids: selectedRows.map((r) => r.id), fields: columns.map((c) => c.name), locale })} className="touch">
            {t('list.bulk.export')}
          </Button>
        )}
        {permissions.delete && (
          <Button
            danger
            icon={<DeleteOutlined />}
            className="touch"
            onClick={(event) => {
              const opener = event.currentTarget;
              actionButton.current = opener;
              modal.confirm({
                title: t('list.bulk.deleteConfirm', { count }),
                content: t('list.bulk.deleteExplain'),
                okButtonProps: { danger: true },
                okText: t('list.bulk.delete'),
                cancelText: t('list.cancel'),
                onOk: () => run(t('list.bulk.delete'), (n) => t('list.bulk.deleted', { count: n }), () => bulkDelete(object.name, selectedRows)),
                // antd returns focus to the Delete button, which is gone with the selection if all went.
                focusable: { focusTriggerAfterClose: false },
                afterClose: () => returnFocus(opener, focusAfter),
              });
            }}
          >
            {t('list.bulk.delete')}
          </Button>
        )}
      </div>
      <Button type="link" onClick={() => onDone([])} className="touch bulk-bar__clear">
        {t('list.bulk.clear')}
      </Button>

      <Modal
        open={action === 'edit'}
        {...editFocus}
        title={t('list.bulk.editTitle', { count })}
        okText={t('list.save')}
        cancelText={t('list.cancel')}
        okButtonProps={{ disabled: !field, loading: busy }}
        onCancel={() => setAction(undefined)}
        onOk={() => field && void run(t('list.bulk.edit'), (n) => t('list.bulk.edited', { count: n }), () => bulkUpdate(object.name, selectedRows, { [field]: value === '' ? null : value }))}
      >
        <Form layout="vertical">
          <Form.Item label={t('list.bulk.field')} htmlFor="bulk-field">
            <Select
              id="bulk-field"
              value={field}
              onChange={(name: string) => {
                setField(name);
                setValue(null);
              }}
              options={editable.map((f) => ({ value: f.name, label: fieldLabel(f, locale) }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          {field && (
            <Form.Item label={t('list.bulk.value')} htmlFor="bulk-value">
              <FieldInput id="bulk-value" object={object} field={editable.find((f) => f.name === field)!} value={value} onChange={setValue} />
            </Form.Item>
          )}
        </Form>
      </Modal>

      <Modal
        open={action === 'transfer'}
        {...transferFocus}
        title={t('list.bulk.transferTitle', { count })}
        okText={t('list.bulk.transfer')}
        cancelText={t('list.cancel')}
        okButtonProps={{ disabled: !owner, loading: busy }}
        onCancel={() => setAction(undefined)}
        onOk={() => owner && void run(t('list.bulk.transfer'), (n) => t('list.bulk.transferred', { count: n }), () => transferOwner(object.name, selectedRows.map((r) => r.id), owner))}
      >
        <Form layout="vertical">
          <Form.Item label={t('list.bulk.newOwner')} htmlFor="bulk-owner">
            <ReferencePicker id="bulk-owner" target={undefined} value={owner} onChange={setOwner} />
          </Form.Item>
        </Form>
      </Modal>

    </div>
  );
}
