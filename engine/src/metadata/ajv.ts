import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldIssue } from '../errors';
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
    let reason = error.message ?? 'is not valid';
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      path = path ? `${path}/${extra}` : extra;
      reason = 'is not a known property';
    } else if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      path = path ? `${path}/${missing}` : missing;
      reason = 'is required';
    } else if (error.keyword === 'discriminator') {
      reason = 'names an unknown type';
      path = path ? `${path}/type` : 'type';
    } else if (error.keyword === 'enum') {
      reason = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const key = `${path}|${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, code: 'invalid', params: { reason } });
  }
  return issues;
}
