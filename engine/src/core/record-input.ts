import type { SchemaError } from './compilers';
import type { CompiledField, InputObject } from './compiled';
import { recordReferenceOf } from '../field-types';
import { reason, type FieldIssue } from '../errors';
import type { JsonSchema } from '../documents/json-schema';
import type { FieldDefinition, SelectOption } from '../documents/types';

/**
 * Input checking of the write pipeline: unknown and read-only fields, the JSON Schema built
 * from the object's metadata (its validator compiled once per object, i.e. per revision, by the
 * object's compilers), then each type's normalisation. Every failing field is reported, not
 * just the first. Browser-safe: core's checkRecordInput composes these steps.
 */

/**
 * The JSON Schema of a record input: each writable field may be null or a value of its type.
 * A browser's generated validators are keyed by this exact schema (core/compilers.ts).
 */
export function recordInputSchema(fields: readonly CompiledField[]): JsonSchema {
  const properties: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.writable) properties[field.name] = { anyOf: [{ type: 'null' }, field.type.inputSchema(field.definition)] };
  }
  return { type: 'object', properties };
}

function issueFromSchema(field: CompiledField, error: SchemaError): FieldIssue {
  const path = field.name;
  const params = error.params;
  switch (error.keyword) {
    case 'maxLength':
      return { path, code: 'max_length', params: { limit: Number(params.limit) } };
    case 'minLength':
      return { path, code: 'min_length', params: { limit: Number(params.limit) } };
    case 'minimum':
      return { path, code: 'minimum', params: { limit: Number(params.limit) } };
    case 'maximum':
      return { path, code: 'maximum', params: { limit: Number(params.limit) } };
    case 'maxItems':
      return { path, code: 'invalid', params: { reason: reason('too_many_values', { limit: Number(params.limit) }) } };
    case 'pattern':
      if (field.type.declaredPattern?.(field.definition)) return { path, code: 'pattern' };
      return { path, code: 'type', params: { expected: field.type.expected } };
    default:
      return { path, code: 'type', params: { expected: field.type.expected } };
  }
}

/** The first failing keyword per field carries the most specific message (anyOf noise is skipped). */
function schemaIssues(object: InputObject, errors: readonly SchemaError[]): FieldIssue[] {
  const byField = new Map<string, FieldIssue>();
  const rank = (e: SchemaError) => (e.keyword === 'anyOf' || e.keyword === 'type' ? 1 : 0);
  for (const error of [...errors].sort((a, b) => rank(a) - rank(b))) {
    const name = error.instancePath.split('/')[1];
    if (!name || byField.has(name)) continue;
    const field = object.fieldsByName.get(name);
    if (field) byField.set(name, issueFromSchema(field, error));
  }
  return [...byField.values()];
}

export interface PreparedInput {
  /** Column -> stored value, for the fields the caller sent. */
  readonly values: Record<string, unknown>;
  readonly issues: FieldIssue[];
}

/**
 * Checks and normalises the fields a caller sent. `previous` is the stored record on update
 * (a retired select option stays allowed on a record that already holds it).
 */
export function prepareInput(object: InputObject, input: unknown, previous: Record<string, unknown> | undefined): PreparedInput {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { values: {}, issues: [{ path: '', code: 'type', params: { expected: 'a JSON object of field values' } }] };
  }
  const issues: FieldIssue[] = [];
  const values: Record<string, unknown> = {};
  const raw = input as Record<string, unknown>;
  let cleaned: Record<string, unknown> | undefined;
  for (const name in raw) {
    const field = object.fieldsByName.get(name);
    if (!field) issues.push({ path: name, code: 'unknown_field' });
    else if (!field.writable) issues.push({ path: name, code: 'read_only' });
    else if (field.type.clean && raw[name] !== null) {
      cleaned ??= { ...raw };
      cleaned[name] = field.type.clean(raw[name]);
    }
  }
  input = cleaned ?? raw;
  const entries = Object.entries(input as Record<string, unknown>);
  const validate = object.inputValidator();
  if (!validate(input)) issues.push(...schemaIssues(object, validate.errors ?? []));
  const failed = new Set(issues.map((i) => i.path));
  for (const [name, value] of entries) {
    if (failed.has(name)) continue;
    const field = object.fieldsByName.get(name)!;
    if (value === null) {
      values[name] = null;
      continue;
    }
    const result = field.type.normalize(value, field.definition, { previous: previous?.[name] });
    if (result.ok) values[name] = result.value;
    else issues.push({ path: name, code: result.issue.code, ...(result.issue.params ? { params: result.issue.params } : {}) });
  }
  return { values, issues };
}

/** Fields that must hold a value: `required`, and every master-detail (a detail has a master). */
export function isRequired(field: CompiledField): boolean {
  return !field.system && (field.definition.required === true || recordReferenceOf(field.definition)?.owned === true);
}

/** Required fields the input sets to null (an update: fields it leaves out keep their value). */
export function clearedRequiredIssues(object: InputObject, values: Readonly<Record<string, unknown>>): FieldIssue[] {
  return object.userFields
    .filter((f) => isRequired(f) && f.column && f.column in values && values[f.column] === null)
    .map((f) => ({ path: f.name, code: 'required' as const }));
}

/** Dependent picklists: a chosen option must be valid for the controlling field's value. */
export function dependentOptionIssues(object: InputObject, record: Record<string, unknown>, changed: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of object.userFields) {
    const def = field.definition as FieldDefinition & { controlling_field?: string; options?: readonly SelectOption[] };
    if (!def.controlling_field || !def.options) continue;
    if (!changed.has(field.name) && !changed.has(def.controlling_field)) continue;
    const value = record[field.name];
    if (value === null || value === undefined) continue;
    const controlling = record[def.controlling_field];
    const controllingValue = controlling === null || controlling === undefined ? null : String(controlling);
    for (const chosen of Array.isArray(value) ? (value as string[]) : [value as string]) {
      const option = def.options.find((o) => o.value === chosen);
      if (!option?.valid_for) continue;
      if (controllingValue === null || !option.valid_for.includes(controllingValue)) {
        issues.push({
          path: field.name,
          code: 'dependent_option',
          params: { value: chosen, controlling: def.controlling_field, controlling_value: controllingValue ?? '' },
        });
        break;
      }
    }
  }
  return issues;
}
