import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientObject } from '@crm/engine/core';
import { ApiError } from '../../api/client';
import { isCommitEnter } from '../../app/enter-key';
import { FieldInput } from '../../fields/FieldInput';
import { DisplayView } from '../../fields/FieldValue';
import { formatValue, type FormatContext } from '../../fields/display/format-value';
import { paths } from '../../shell/navigation';
import { updateRecord, type RecordData } from '../record-api';
import { refusalText } from '../refusal';
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

/** The cell being edited in a list: one at a time, kept by the table (a row's cells are reused as it scrolls). */
export interface EditingCell {
  readonly id: string;
  readonly field: string;
}

export interface EditableCellProps {
  readonly object: ClientObject;
  readonly column: ListColumn;
  readonly row: RecordData;
  readonly context: FormatContext;
  /** The edit button's accessible name ("Edit Amount"), made once per column by the table. */
  readonly editLabel: string;
  readonly editing: boolean;
  /** Starts (a cell) or ends (null) editing. */
  readonly onEdit: (cell: EditingCell | null) => void;
  /** The saved record, to be put in place of the row. */
  readonly onSaved: (record: RecordData) => Promise<void> | void;
  readonly onConflict: (conflict: PendingConflict) => void;
}

/**
 * A list cell (its role="cell" element): the value, and for an editable field an edit button (or
 * a double click) that turns it into the field's input. A scroll mounts dozens of cells every
 * frame, so a cell is three plain elements: no component library, no router link (the title and a
 * lookup's record are an <a href> the table follows in the app, see row-clicks.ts), the pencil
 * drawn by CSS; the editor mounts when editing starts.
 */
export function EditableCell({ object, column, row, context, editLabel, editing, onEdit, onSaved, onConflict }: EditableCellProps) {
  const className = `record-cell${column.numeric ? ' record-cell--numeric' : ''}`;
  if (editing) {
    return (
      <div className={`${className} is-editing`} role="cell" data-field={column.name}>
        <CellEditor object={object} column={column} row={row} onSaved={onSaved} onConflict={onConflict} onClose={() => onEdit(null)} />
      </div>
    );
  }
  const shown = formatValue(column.descriptor, row[column.name], context);
  const display =
    column.title && shown.kind === 'text' ? (
      <a className="field-value record-cell__title" href={paths.record(object.name, row.id)} data-app-link="">
        {shown.text}
      </a>
    ) : shown.kind === 'reference' && shown.href ? (
      <a className="field-value" href={shown.href} data-app-link="">
        {shown.text}
      </a>
    ) : (
      <DisplayView display={shown} />
    );
  if (!column.editable) {
    return (
      <div className={className} role="cell" data-field={column.name}>
        {display}
      </div>
    );
  }
  const edit = () => onEdit({ id: row.id, field: column.name });
  return (
    <div className={className} role="cell" data-field={column.name} onDoubleClick={(e) => (e.stopPropagation(), edit())}>
      {display}
      <button
        type="button"
        className="record-cell__edit"
        aria-label={editLabel}
        onClick={(e) => {
          e.stopPropagation();
          edit();
        }}
      />
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
        setError(e.fields.find((issue) => issue.field === column.name || issue.path === column.name)?.message ?? refusalText(e, t));
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
    else if (isCommitEnter(event) && !event.shiftKey) void save();
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
