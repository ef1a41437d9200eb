import { recordReferenceOf, referenceOf, type ClientField, type ClientObject, type FieldDefinition } from '@crm/engine/core';
import { formRuleData } from '../../layouts/form-data';
import type { LoadedMetadata } from '../../metadata/client-metadata';
import { ruleContextOf } from '../form/form-check';
import type { RecordData } from '../record-api';

/**
 * A record as the page reads it (references expanded to show their titles) and as rules and
 * inputs need it (references as ids).
 */

/** Reference fields (lookups, master-details, users) the page asks the API to expand; `id` describes itself as one, but is the record. */
export function referenceFields(object: ClientObject): string[] {
  return object.fields
    .filter((field) => field.name !== 'id' && referenceOf(field as FieldDefinition) !== undefined && field.target_readable !== false)
    .map((field) => field.name);
}

/** The record with expanded references back to their ids. */
export function plainRecord(object: ClientObject, record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const plain: Record<string, unknown> = { ...record };
  for (const name of referenceFields(object)) plain[name] = referenceId(record[name]);
  return plain;
}

/** A reference value's id, expanded or not. */
export function referenceId(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  return null;
}

/**
 * The record as core's rules read it (`$user`, `$now`, `$today` included, formulas computed): the
 * same data the form's conditions see (layouts/form-data.ts), so a section shows on the page
 * exactly when it shows in the form.
 */
export function recordRuleData(metadata: Pick<LoadedMetadata, 'inputObject' | 'user'>, object: ClientObject, record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return formRuleData(metadata.inputObject(object.name), plainRecord(object, record), ruleContextOf(metadata));
}

/** The title of a record: its title field, else the start of its id. */
export function recordTitle(object: ClientObject, record: Readonly<Record<string, unknown>> | undefined): string {
  if (!record) return '';
  const value = object.title_field ? record[object.title_field] : undefined;
  if (typeof value === 'string' && value.trim()) return value;
  if (typeof value === 'number') return String(value);
  return typeof record.id === 'string' ? record.id.slice(0, 8) : '';
}

/** The object a lookup or master-detail points at (undefined for users and other fields). */
export function targetOf(field: ClientField): string | undefined {
  return recordReferenceOf(field as FieldDefinition)?.target;
}

export type { RecordData };
