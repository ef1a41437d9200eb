import {
  checkRecordInput,
  nameFieldsByLabel,
  ruleData,
  type ClientMetadata,
  type ClientObject,
  type CrmError,
  type ErrorBody,
  type InputObject,
  type RecordRow,
  type RuleContext,
} from '@crm/engine/core';
import type { UiLocale } from '../../i18n/i18n';
import { storedRow, type FormValues } from '../../layouts/form-data';

/**
 * What the form checks, with core's function and in the API's words: the same input the form
 * will send, the same check the server runs first (coercion, field schemas, defaults, required
 * fields, dependent options, validation rules), fields named by their labels as the API names
 * them. What needs the database (unique values, references, access) comes back from the server.
 */

/** `$user`, `$now` and `$today` as the server sets them for this user. */
export function ruleContextOf(metadata: Pick<ClientMetadata, 'user'>, now: Date = new Date()): RuleContext {
  return {
    user: { id: metadata.user.id, departmentId: metadata.user.department?.id ?? null, roles: metadata.user.roles.map((role) => role.name) },
    now,
  };
}

export type FormCheck = { readonly ok: true } | { readonly ok: false; readonly error: CrmError };

/** Checks an input as the API will: core's checkRecordInput, then the API's naming of fields by label. */
export function checkForm(object: InputObject, input: Readonly<Record<string, unknown>>, context: RuleContext, old?: Readonly<RecordRow>): FormCheck {
  const result = checkRecordInput(object, input, { context, ...(old ? { old } : {}) });
  if (result.ok) return { ok: true };
  // The projection holds no hidden field, so nothing is left to hide (as the API does for this user).
  return { ok: false, error: nameFieldsByLabel(result.error, object, new Set()) as CrmError };
}

/** The result of browserIssues: what the API would answer, as its error body in both languages. */
export type BrowserIssues = { readonly ok: true } | { readonly ok: false; readonly status: number; readonly en: ErrorBody; readonly zh: ErrorBody };

/**
 * The browser's verdict on an input, in the API's shape, for the differential test (generated
 * inputs sent to the API and checked here must agree): `old` is the record an update changes,
 * as the record API returned it (omit for a create); it is read as the form reads it (storedRow). Exposed to tests as
 * `window.crmForms.browserIssues(object, input, old?)` while a form is open.
 */
export function browserIssues(
  metadata: Pick<ClientMetadata, 'user'> & { inputObject(name: string): InputObject },
  objectName: string,
  input: unknown,
  old?: Readonly<RecordRow>,
): BrowserIssues {
  const object = metadata.inputObject(objectName);
  const context = ruleContextOf(metadata);
  const result = checkRecordInput(object, input, { context, ...(old ? { old: storedRow(object, old) } : {}) });
  if (result.ok) return { ok: true };
  const error = nameFieldsByLabel(result.error, object, new Set()) as CrmError;
  return { ok: false, status: error.status, en: error.toBody('en'), zh: error.toBody('zh-CN') };
}

/** Messages of an error in one language: per field (by API name), and about the record as a whole. */
export interface PlacedMessages {
  readonly byField: Record<string, string[]>;
  readonly general: string[];
}

interface IssueLike {
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

/**
 * Puts each issue under its field when the form shows that field, else at the top of the form
 * (a rule about the record as a whole, a field not on this form or hidden by a condition).
 */
export function placeIssues(issues: readonly IssueLike[], shown: ReadonlySet<string>, summary?: string): PlacedMessages {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const name = issue.field ?? issue.path;
    if (name && shown.has(name)) (byField[name] ??= []).push(issue.message);
    else if (!general.includes(issue.message)) general.push(issue.message);
  }
  if (issues.length === 0 && summary) general.push(summary);
  return { byField, general };
}

/** An error's issues in one language, as the API would write them. */
export function issuesIn(error: CrmError, locale: UiLocale): readonly IssueLike[] {
  return error.toBody(locale).error.fields ?? [];
}

/**
 * Defaults a new record starts with, in the API's shape, for the form to show: each field's
 * compiled default (core's), evaluated and normalised as the server does when the field is
 * left out. A default that does not fit is left out here; the check reports it.
 */
export function defaultValues(object: InputObject, context: RuleContext): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (object.defaults.length === 0) return values;
  const data = ruleData(object, {}, context);
  for (const { field, evaluate } of object.defaults) {
    try {
      const value = evaluate(data);
      if (value === null || value === undefined) continue;
      const normalized = field.type.normalize(value, field.definition, { previous: undefined });
      if (normalized.ok) values[field.name] = field.type.output(normalized.value, field.definition);
    } catch {
      // The server reports a default it cannot evaluate; the form shows the field empty.
    }
  }
  return values;
}

const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

function same(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What the form sends. A create sends every field the user may set that holds a value, and null
 * for a field whose default the user cleared (left out, the server would fill the default back
 * in). An edit sends only the fields that differ from the record it started from.
 */
export function formInput(values: FormValues, writable: ReadonlySet<string>, initial: FormValues, editing: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of writable) {
    const value = values[name];
    if (editing) {
      if (!same(value, initial[name])) input[name] = isEmpty(value) ? null : value;
    } else if (!isEmpty(value)) input[name] = value;
    else if (!isEmpty(initial[name])) input[name] = null;
  }
  return input;
}

/** The fields whose current value differs from where the form started. */
export function changedFields(values: FormValues, initial: FormValues): string[] {
  return Object.keys({ ...values, ...initial }).filter((name) => !same(values[name], initial[name]));
}

/**
 * Starting values a link gives a new record (`/o/contact/new?account=<id>`: a related list's
 * "add"): each query parameter that names a field the user may write. Other parameters are
 * ignored, so a link cannot set a read-only or hidden field; the write check judges the value.
 */
export function prefilledValues(object: Pick<ClientObject, 'fields'>, params: URLSearchParams): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of object.fields) {
    if (field.system || field.mode !== 'editable') continue;
    const value = params.get(field.name);
    if (value !== null && value !== '') values[field.name] = value;
  }
  return values;
}
