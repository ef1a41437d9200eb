import { Input } from 'antd';
import type { ClientField, ClientObject } from '@crm/engine/core';

export interface FieldInputProps {
  readonly object: ClientObject;
  readonly field: ClientField;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  readonly onBlur?: () => void;
  /** The element id (the form item's label points at it). */
  readonly id?: string;
  readonly disabled?: boolean;
  /** The values of the other fields (dependent options read their controlling field). */
  readonly values?: Readonly<Record<string, unknown>>;
  readonly invalid?: boolean;
}

/**
 * The input for one field, chosen by its type descriptor's widget (fields/field-widget.ts).
 * Placeholder: the forms feature fills it in; list inline edit and the kanban use it too.
 */
export function FieldInput({ value, onChange, onBlur, id, disabled }: FieldInputProps) {
  return <Input id={id} value={value === null || value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)} onBlur={onBlur} disabled={disabled} />;
}
