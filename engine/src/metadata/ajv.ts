import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { reason, type FieldIssue, type Reason } from '../errors';
import type { JsonSchema } from './json-schema';

// ajv-formats is CommonJS; under ESM interop its default export may be nested.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/**
 * The one AJV configuration: every failing field reported, formats checked in full. `standalone`
 * keeps each validator's source for standalone modules (rules/standalone-module.ts), written with
 * `exports.x =` so that module can wrap it in a function.
 */
export function createAjv(options: { readonly standalone?: boolean } = {}): Ajv2020 {
  const code = options.standalone ? { source: true } : { esm: true };
  const ajv = new Ajv2020({ allErrors: true, discriminator: true, strict: false, unicodeRegExp: true, code });
  addFormats(ajv, { mode: 'full', formats: ['email', 'uri', 'date', 'date-time', 'uuid'] });
  return ajv;
}

export type Validator = ValidateFunction;

const sharedAjv = createAjv();

/** Compiles a schema once; callers cache the result (per metadata revision). */
export function compileSchema(schema: JsonSchema): Validator {
  return sharedAjv.compile(schema);
}

/**
 * Compiles a schema whose validator the caller alone keeps (the metadata compile's, reused by
 * content across revisions): AJV keeps every schema object it compiled, so without this each
 * revision's record input schemas would stay in memory for the life of the process.
 */
export function compileUnkeptSchema(schema: JsonSchema): Validator {
  const validate = sharedAjv.compile(schema);
  sharedAjv.removeSchema(schema);
  return validate;
}

/** `/sections/0/fields/2` -> `sections/0/fields/2` */
export function pointerToPath(pointer: string): string {
  return pointer.replace(/^\//, '');
}

/** Turns AJV's errors into readable issues about metadata documents (one per location). */
export function schemaIssues(errors: readonly ErrorObject[] | null | undefined): FieldIssue[] {
  if (!errors) return [];
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // The discriminator reports the real cause; oneOf noise about other branches is dropped.
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' && errors.length > 1) continue;
    let path = pointerToPath(error.instancePath);
    let why = schemaReason(error);
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      path = path ? `${path}/${extra}` : extra;
      why = reason('not_unknown_property');
    } else if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      path = path ? `${path}/${missing}` : missing;
    } else if (error.keyword === 'discriminator') {
      why = reason('names_unknown_type');
      path = path ? `${path}/type` : 'type';
    }
    const key = `${path}|${String(why)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, code: 'invalid', params: { reason: why } });
  }
  return issues;
}

const JSON_TYPES = Object.freeze({
  string: 'json_string',
  number: 'json_number',
  integer: 'json_integer',
  boolean: 'json_boolean',
  object: 'json_object',
  array: 'json_array',
  null: 'json_null',
} as const);

/**
 * What an AJV error says, as a catalogue reason: AJV's own messages are English only. The English
 * texts keep AJV's wording; a keyword without an entry says the value is not valid.
 */
export function schemaReason(error: ErrorObject): Reason {
  const params = error.params as Record<string, unknown>;
  const limit = Number(params.limit);
  switch (error.keyword) {
    case 'type': {
      const types = String(params.type).split(',');
      return reason('schema_type', { choices: types.map((t) => (t in JSON_TYPES ? reason(JSON_TYPES[t as keyof typeof JSON_TYPES]) : t)) });
    }
    case 'required':
      return reason('is_required');
    case 'additionalProperties':
      return reason('not_unknown_property');
    case 'enum':
      return reason('must_be_one_of', { values: (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)) });
    case 'minLength':
      return reason('schema_min_length', { limit });
    case 'maxLength':
      return reason('schema_max_length', { limit });
    case 'minimum':
      return reason('schema_minimum', { limit });
    case 'maximum':
      return reason('schema_maximum', { limit });
    case 'exclusiveMinimum':
      return reason('schema_exclusive_minimum', { limit });
    case 'exclusiveMaximum':
      return reason('schema_exclusive_maximum', { limit });
    case 'minItems':
      return reason('schema_min_items', { limit });
    case 'maxItems':
      return reason('schema_max_items', { limit });
    case 'uniqueItems':
      return reason('schema_unique_items', { first: Number(params.j), second: Number(params.i) });
    case 'minProperties':
      return reason('schema_min_properties', { limit });
    case 'maxProperties':
      return reason('schema_max_properties', { limit });
    case 'pattern':
      return reason('schema_pattern', { pattern: String(params.pattern) });
    case 'format':
      return reason('schema_format', { format: String(params.format) });
    case 'const':
      return reason('schema_const');
    case 'anyOf':
    case 'oneOf':
      return reason('schema_not_valid');
    default:
      return reason('not_valid');
  }
}
