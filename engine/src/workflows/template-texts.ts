import { sql, type Transaction } from 'kysely';
import { valueText } from '../core/value-text';
import { renderTemplate, templateReads, type FieldText } from '../delivery/render-template';
import { textIn, type Locale } from '../errors';
import { LOCALES } from '../errors/catalogue';
import type { ClientFieldDescriptor, TypeContext } from '../field-types';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledField, CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import type { NotificationTranslations } from '../notifications/notification-service';
import type { RecordData } from '../records/representation';
import { columnList, type Row } from '../records/statements';
import { columnsFor, outputRecord } from '../records/representation';
import { recordTable } from '../schema-sync/ddl';
import type { LocalizedTemplate, WorkflowAction } from './types';

/**
 * What notify and send_email actions tell, with the record's values written as the UIs show them
 * (README "Workflows"): numbers grouped, money with its currency, dates as dates, options by label,
 * yes/no, a referenced record or user by name. A notification is read in whatever language its
 * recipient uses at the time, and users keep no language of their own, so it is rendered once per
 * language at write time (two today): `title`/`body` in English, the API's default, and the others
 * in `translations`. Write-time keeps a message as it was (a later renamed option or deleted
 * account does not change what was said) and reading cheap. An email goes to addresses, so its
 * action names its language. The template's author decides what a message discloses, as with the
 * record's own fields: a referenced record's name is written whoever receives it.
 */

type NotifyAction = Extract<WorkflowAction, { type: 'notify' }>;

export interface NotificationTexts {
  readonly title: string;
  readonly body: string | null;
  readonly translations: NotificationTranslations;
}

const DEFAULT_LOCALE: Locale = 'en';

const descriptors = new WeakMap<CompiledField, ClientFieldDescriptor>();

function descriptorOf(metadata: CompiledMetadata, field: CompiledField): ClientFieldDescriptor {
  let descriptor = descriptors.get(field);
  if (!descriptor) {
    const context: TypeContext = { field: (object, name) => metadata.findObject(object)?.fieldsByName.get(name)?.definition };
    descriptor = field.type.describe(field.definition, context);
    descriptors.set(field, descriptor);
  }
  return descriptor;
}

function fieldTextIn(metadata: CompiledMetadata, object: CompiledObject, locale: Locale, names: ReadonlyMap<string, string>): FieldText {
  return (name, value) => {
    const field = object.fieldsByName.get(name);
    return field ? valueText(descriptorOf(metadata, field), value, { locale, nameOf: (id) => names.get(id) }) : undefined;
  };
}

/** The action's title and body in every language, from the record as the API returns it. */
export function notificationTexts(metadata: CompiledMetadata, object: CompiledObject, record: RecordData, action: NotifyAction, names: ReadonlyMap<string, string>): NotificationTexts {
  const render = (locale: Locale) => {
    const fieldText = fieldTextIn(metadata, object, locale, names);
    return { title: renderTemplate(textIn(action.title, locale), record, { fieldText }), body: action.body === undefined ? null : renderTemplate(textIn(action.body, locale), record, { fieldText }) };
  };
  const texts = Object.fromEntries(LOCALES.map((locale) => [locale, render(locale)])) as Record<Locale, { title: string; body: string | null }>;
  const translations = Object.fromEntries(LOCALES.filter((l) => l !== DEFAULT_LOCALE).map((l) => [l, texts[l]]));
  return { ...texts[DEFAULT_LOCALE], translations };
}

/** Each template of a localized one, with its path (`<at>` or `<at>/<locale>`). */
export function templateVariants(text: LocalizedTemplate | undefined, at: string): [string, string][] {
  if (text === undefined) return [];
  return typeof text === 'string' ? [[at, text]] : Object.entries(text).map(([locale, t]) => [`${at}/${locale}`, t]);
}

/** Every template of a notify action, in every language. */
export const notifyTemplates = (action: NotifyAction): string[] => [...templateVariants(action.title, ''), ...templateVariants(action.body, '')].map(([, t]) => t);

/** The record's fields the templates read. */
function fieldsRead(object: CompiledObject, templates: readonly string[]): CompiledField[] {
  const reads = new Set(templates.flatMap((template) => [...templateReads(template)]));
  return [...reads].flatMap((name) => {
    const field = object.fieldsByName.get(name);
    return field ? [field] : [];
  });
}

/** The reference fields (lookups, users) the templates read. */
export function referencesRead(object: CompiledObject, templates: readonly string[]): CompiledField[] {
  return fieldsRead(object, templates).filter((field) => field.type.reference?.(field.definition));
}

/**
 * The fields the templates read, written in `locale` (null values left out): what an email job
 * carries beside the record, so the job renders `{{amount}}` as the UIs show it.
 */
export function fieldTexts(metadata: CompiledMetadata, object: CompiledObject, record: RecordData, templates: readonly string[], locale: Locale, names: ReadonlyMap<string, string>): Record<string, string> {
  const text = fieldTextIn(metadata, object, locale, names);
  const texts: Record<string, string> = {};
  for (const field of fieldsRead(object, templates)) {
    const value = record[field.name];
    const written = value === null || value === undefined ? undefined : text(field.name, value);
    if (written !== undefined) texts[field.name] = written;
  }
  return texts;
}

/**
 * The names of the records and users the templates' reference fields point at (a record by its
 * object's title field), by id; one query per referenced object and one for users.
 */
export async function referenceNames(
  trx: Transaction<unknown>,
  metadata: CompiledMetadata,
  object: CompiledObject,
  row: Row,
  templates: readonly string[],
  context: RuleContext,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const userIds: string[] = [];
  const recordIds = new Map<CompiledObject, string[]>();
  for (const field of referencesRead(object, templates)) {
    const value = field.column ? row[field.column] : undefined;
    const reference = field.type.reference!(field.definition);
    if (typeof value !== 'string') continue;
    if (reference.to === 'user') userIds.push(value);
    else {
      const target = metadata.findObject(reference.target);
      if (target?.definition.title_field) recordIds.set(target, [...(recordIds.get(target) ?? []), value]);
    }
  }
  if (userIds.length > 0) {
    const users = await sql<{ id: string; name: string }>`select id, name from crm_meta.users where id = any(${userIds}::uuid[])`.execute(trx);
    users.rows.forEach((u) => names.set(u.id, u.name));
  }
  for (const [target, ids] of recordIds) {
    const title = target.definition.title_field!;
    const select = new Set([title]);
    const rows = await sql<Row>`select ${columnList(columnsFor(target, select))} from ${recordTable(target.table)} where id = any(${ids}::uuid[])`.execute(trx);
    for (const found of rows.rows) {
      const value = outputRecord(target, found, context, select)[title];
      if (value !== null && value !== undefined && value !== '') names.set(found.id as string, String(value));
    }
  }
  return names;
}
