import { stringify } from 'csv-stringify/sync';
import type { Locale } from '../errors';
import { textIn, type LocalizedText } from '../errors/localized-text';
import { referenceOf } from '../field-types';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledField, CompiledObject } from '../metadata/compiled';
import type { RecordData } from './representation';

/**
 * An export for people (`labels`): a CSV a person opens in Excel and reads - the header in their
 * language, options by label, related records by their title, users as "name <e-mail>", yes/no in words -
 * and that the import reads back as it is (it takes labels, names and 是/否). Excel takes a CSV
 * for its local code page unless it starts with a byte-order mark, so the file starts with one.
 */
export const BYTE_ORDER_MARK = '\ufeff';

const YES_NO: Readonly<Record<Locale, readonly [string, string]>> = { en: ['yes', 'no'], 'zh-CN': ['是', '否'] };

/** The reference fields among the columns: read expanded, so their titles can be written. */
export function referenceColumns(object: CompiledObject, columns: readonly string[]): string[] {
  return columns.filter((name) => {
    const field = object.fieldsByName.get(name);
    return field !== undefined && name !== 'id' && referenceOf(field.definition) !== undefined;
  });
}

export function readableHeader(object: CompiledObject, columns: readonly string[], locale: Locale): string[] {
  return columns.map((name) => textIn(object.fieldsByName.get(name)?.definition.label as LocalizedText | undefined, locale) ?? name);
}

export function readableLines(metadata: CompiledMetadata, object: CompiledObject, columns: readonly string[], records: readonly RecordData[], locale: Locale, header: boolean): string {
  const fields = columns.map((name) => object.fieldsByName.get(name)!);
  const rows = records.map((record) => fields.map((field) => readableCell(metadata, field, record[field.name], locale)));
  return stringify(header ? [readableHeader(object, columns, locale), ...rows] : rows);
}

type Option = { readonly value: string; readonly label: LocalizedText };

function readableCell(metadata: CompiledMetadata, field: CompiledField, value: unknown, locale: Locale): string | number | null {
  if (value === null || value === undefined) return null;
  const reference = referenceOf(field.definition);
  if (reference && typeof value === 'object') return referenceTitle(metadata, reference.to === 'record' ? reference.target : undefined, value as RecordData);
  const options = (field.definition as { options?: readonly Option[] }).options;
  const label = (choice: unknown) => {
    const option = options?.find((o) => o.value === choice);
    return option ? textIn(option.label, locale) : String(choice);
  };
  if (options && Array.isArray(value)) return value.map(label).join(';');
  if (options && typeof value === 'string') return label(value);
  if (typeof value === 'boolean') return YES_NO[locale][value ? 0 : 1];
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return value as string | number;
}

/** A related record by its title (its id when it has none, or the reader may not see it); a user by name and e-mail. */
function referenceTitle(metadata: CompiledMetadata, target: string | undefined, record: RecordData): string | null {
  // A user by name and e-mail, the way mail writes people: readable, and one user even when two share a name.
  if (target === undefined) return typeof record.email === 'string' && record.email ? `${String(record.name)} <${record.email}>` : typeof record.name === 'string' ? record.name : ((record.id as string | undefined) ?? null);
  const title = metadata.findObject(target)?.definition.title_field;
  const text = title ? record[title] : undefined;
  return text !== undefined && text !== null && text !== '' ? String(text) : ((record.id as string | undefined) ?? null);
}
