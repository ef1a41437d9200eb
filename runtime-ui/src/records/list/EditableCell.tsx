import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ClientObject } from '@crm/engine/core';
import { ApiError } from '../../api/client';
import { FieldInput } from '../../fields/FieldInput';
import { DisplayView } from '../../fields/FieldValue';
import { formatValue, type FormatContext } from '../../fields/display/format-value';
import { paths } from '../../shell/navigation';
import { updateRecord, type RecordData } from '../record-api';
import type { ListColumn } from './list-columns';

/** An edit the server refused because the record changed meanwhile (412). */
export interface PendingConflict {
  readonly row: RecordData;
  readonly field: string;
  readonly value: unknown;
}

/** A reference arrives expanded ({id, name...}); inputs and writes take its id. */
export function plainValue(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'id' in value ? (value as { id: unknown }).id : value;
}

export interface EditableCellProps {
  readonly object: ClientObject;
  readonly column: ListColumn;
  readonly row: RecordData;
  readonly context: FormatContext;
  /** The saved record, to be put in place of the row. */
  readonly onSaved: (record: RecordData) => Promise<void> | void;
  readonly onConflict: (conflict: PendingConflict) => void;
}

/**
 * A list cell: its value, and for an editable field an edit icon (or a double click) that turns
 * it into the field's input. Saving sends the row's version as If-Match; a 412 goes to the
 * conflict dialog, any other refusal shows the server's message on the cell.
 */
export function EditableCell({ object, column, row, context, onSaved, onConflict }: EditableCellProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<unknown>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const shown = formatValue(column.descriptor, row[column.name], context);
  const display =
    column.title && shown.kind === 'text' ? (
      <Link className="field-value record-cell__title" to={paths.record(object.name, row.id)} onClick={(e) => e.stopPropagation()}>
        {shown.text}
      </Link>
    ) : (
      <DisplayView display={shown} />
    );
  if (!column.editable) return <div className="record-cell__value">{display}</div>;

  const start = () => {
    setValue(plainValue(row[column.name]));
    setError(undefined);
    setEditing(true);
  };
  const save = async () => {
    setSaving(true);
    try {
      const saved = await updateRecord(object.name, row.id, row.version, { [column.name]: value === '' ? null : value });
      await onSaved(saved);
      setEditing(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        setEditing(false);
        onConflict({ row, field: column.name, value: value === '' ? null : value });
      } else if (e instanceof ApiError) {
        setError(e.fields.find((issue) => issue.field === column.name || issue.path === column.name)?.message ?? e.message);
      } else {
        setError(String(e));
      }
    } finally {
      setSaving(false);
    }
  };
  const keys = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Escape') setEditing(false);
    else if (event.key === 'Enter' && !event.shiftKey) void save();
  };

  if (!editing) {
    return (
      <div className="record-cell__value" onDoubleClick={(e) => (e.stopPropagation(), start())}>
        {display}
        {/* A plain button: a list renders dozens of these on every scroll, and antd's Button costs more than the whole row. */}
        <button
          type="button"
          className="record-cell__edit"
          aria-label={t('list.editCell', { field: column.label })}
          onClick={(e) => {
            e.stopPropagation();
            start();
          }}
        >
          <EditOutlined />
        </button>
      </div>
    );
  }
  return (
    <div className="record-cell__editor" onClick={(e) => e.stopPropagation()} onKeyDown={keys} role="group" aria-label={t('list.editCell', { field: column.label })}>
      <div className="record-cell__input">
        <FieldInput object={object} field={column.field} value={value} onChange={setValue} invalid={error !== undefined} values={row} />
        {error && (
          <div className="record-cell__error" role="alert">
            {error}
          </div>
        )}
      </div>
      <Button size="small" type="primary" icon={<CheckOutlined />} loading={saving} onClick={() => void save()} aria-label={t('list.save')} />
      <Button size="small" icon={<CloseOutlined />} onClick={() => setEditing(false)} aria-label={t('list.cancel')} />
    </div>
  );
}
