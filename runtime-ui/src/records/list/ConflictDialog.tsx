import { Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DisplayView } from '../../fields/FieldValue';
import { formatValue, type FormatContext } from '../../fields/display/format-value';
import type { RecordData } from '../record-api';
import { changedFields } from './conflict';
import type { PendingConflict } from './EditableCell';
import type { ListColumn } from './list-columns';

export interface ConflictDialogProps {
  readonly conflict: PendingConflict;
  /** The record as stored now. */
  readonly fresh: RecordData;
  readonly columns: readonly ListColumn[];
  readonly context: FormatContext;
  readonly saving: boolean;
  readonly onKeepMine: () => void;
  readonly onTakeTheirs: () => void;
}

/**
 * The record changed after the list loaded it: shows what someone else changed (their values)
 * beside the user's edit, and lets the user keep their value (saved again on the new version)
 * or take the stored record.
 */
export function ConflictDialog({ conflict, fresh, columns, context, saving, onKeepMine, onTakeTheirs }: ConflictDialogProps) {
  const { t } = useTranslation();
  const byName = new Map(columns.map((column) => [column.name, column]));
  const names = [...new Set([conflict.field, ...changedFields(conflict.row, fresh, columns.map((c) => c.name))])];
  const show = (name: string, value: unknown) => {
    const column = byName.get(name);
    return column ? <DisplayView display={formatValue(column.descriptor, value, context)} /> : String(value ?? '—');
  };
  const rows = names.map((name) => ({
    key: name,
    field: byName.get(name)?.label ?? name,
    before: show(name, conflict.row[name]),
    theirs: show(name, fresh[name]),
    mine: name === conflict.field ? show(name, conflict.value) : show(name, fresh[name]),
  }));
  return (
    <Modal
      open
      title={t('list.conflict.title')}
      okText={t('list.conflict.keepMine')}
      cancelText={t('list.conflict.takeTheirs')}
      onOk={onKeepMine}
      onCancel={onTakeTheirs}
      confirmLoading={saving}
      // The user just pressed Enter to save: focus on saving their value, not on the dialog's X.
      okButtonProps={{ autoFocus: true }}
      width={640}
    >
      <Typography.Paragraph>{t('list.conflict.explain')}</Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: true }}
        columns={[
          { key: 'field', dataIndex: 'field', title: t('list.conflict.field') },
          { key: 'before', dataIndex: 'before', title: t('list.conflict.before') },
          { key: 'theirs', dataIndex: 'theirs', title: t('list.conflict.theirs') },
          { key: 'mine', dataIndex: 'mine', title: t('list.conflict.mine') },
        ]}
      />
    </Modal>
  );
}
