import type { ClientField, ClientObject } from '@crm/engine/core';

export interface FieldValueProps {
  readonly object: ClientObject;
  readonly field: ClientField;
  readonly value: unknown;
  /** The whole record (an expanded reference's title, a currency code...). */
  readonly record?: Readonly<Record<string, unknown>>;
}

/**
 * A field's value for reading (list cells, cards, record pages), formatted per type and locale,
 * always rendered as text (never as HTML). Placeholder: the records-list feature fills it in.
 */
export function FieldValue({ value }: FieldValueProps) {
  if (value === null || value === undefined) return <span className="field-value--empty">—</span>;
  return <span>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</span>;
}
