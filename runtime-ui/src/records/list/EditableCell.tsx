import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
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
  /** The edit button's accessible name ("Edit Amount"), made once per column by the table. */
  readonly editLabel: string;
  /** The saved record, to be put in place of the row. */
  readonly onSaved: (record: RecordData) => Promise<void> | void;
  readonly onConflict: (conflict: PendingConflict) => void;
}

/** The edit button's pencil: plain SVG, as an antd icon inserts its style sheet on every mount. */
function PencilGlyph() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" fill="currentColor" aria-hidden="true" focusable="false">
      <path d="M11.6 1.6a1.4 1.4 0 0 1 2 0l.8.8a1.4 1.4 0 0 1 0 2L5.6 13.2 2 14l.8-3.6 8.8-8.8zm-7.5 9.3-.4 1.4 1.4-.4 7-7-1-1-7 7z" />
    </svg>
  );
}

/**
 * A list cell: its value, and for an editable field an edit button (or a double click) that turns
 * it into the field's input. The cell a scroll mounts is only the value and a plain button (a
 * list mounts dozens of cells every frame while scrolling); the editor, with its state and
 * translations, mounts when editing starts.
 */
export function EditableCell({ object, column, row, context, editLabel, onSaved, onConflict }: EditableCellProps) {
  // Which row's value is being edited: the table reuses a cell for another row as it scrolls.
  const [editingRow, setEditingRow] = useState<string | null>(null);
  const editing = editingRow === row.id;
  const setEditing = (on: boolean) => setEditingRow(on ? row.id : null);
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
  if (editing) return <CellEditor object={object} column={column} row={row} onSaved={onSaved} onConflict={onConflict} onClose={() => setEditing(false)} />;
  return (
    <div className="record-cell__value" onDoubleClick={(e) => (e.stopPropagation(), setEditing(true))}>
      {display}
      <button
        type="button"
        className="record-cell__edit"
        aria-label={editLabel}
        onClick={(e) => {
          e.stopPropagation();
          setEditing(true);
        }}
      >
        <PencilGlyph />
      </button>
    </div>
  );
}

interface CellEditorProps extends Pick<EditableCellProps, 'object' | 'column' | 'row' | 'onSaved' | 'onConflict'> {
  readonly onClose: () => void;
}

/**
 * The cell's input. Saving sends the row's version as If-Match; a 412 goes to the conflict
 * dialog, any other refusal shows the server's message on the cell.
 */
function CellEditor({ object, column, row, onSaved, onConflict, onClose }: CellEditorProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState<unknown>(() => plainValue(row[column.name]));
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      const saved = await updateRecord(object.name, row.id, row.version, { [column.name]: value === '' ? null : value });
      await onSaved(saved);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        onClose();
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
    if (event.key === 'Escape') onClose();
    else if (event.key === 'Enter' && !event.shiftKey) void save();
  };
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
      <Button size="small" icon={<CloseOutlined />} onClick={onClose} aria-label={t('list.cancel')} />
    </div>
  );
}
