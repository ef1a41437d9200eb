import type { JsonLogicRule } from '../rules/scope';

/**
 * CONTRACT between the record input check and whatever turns rules and JSON Schemas into
 * functions. Two implementations exist and must agree:
 * - the engine's default (metadata/default-compilers.ts): `rule` is rules/compile-js's
 *   compileRule (mode 'value') or compileCondition (mode 'boolean'); `schema` is AJV as
 *   configured by metadata/ajv.ts createAjv (draft 2020-12, allErrors, formats email, uri,
 *   date, date-time, uuid in full mode, unicodeRegExp).
 * - the browser's, under `script-src 'self'` (no eval): a lookup in modules generated per
 *   metadata revision (compileRule's output and AJV's standalone code), keyed by
 *   `ruleKey(rule, mode)` = `${mode}:${JSON.stringify(rule)}` and
 *   `schemaKey(schema)` = `JSON.stringify(schema)`.
 * Which rules and schemas a revision needs: per object, `recordInputSchema(fields)` (core's
 * record-input.ts), each formula's `expression` and each field's `default` (mode 'value'), and
 * each active validation rule's `condition` (mode 'boolean'). Either method may throw when it
 * has no function for its input; a validation rule that fails to compile then fails every
 * write it checks, a formula or default fails the compile of the object (as on the server).
 */
export interface Compilers {
  /** mode 'value' = compileRule, 'boolean' = compileCondition */
  rule(rule: JsonLogicRule, mode: RuleMode): (data?: unknown) => unknown;
  /** an AJV-compatible validate function: returns boolean, sets .errors */
  schema(schema: object): SchemaValidateFunction;
}

export type RuleMode = 'value' | 'boolean';

/** The part of AJV's ErrorObject the input check reads. */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** An AJV ValidateFunction, structurally: AJV's own and its standalone modules both fit. */
export interface SchemaValidateFunction {
  (data: unknown): boolean;
  errors?: readonly SchemaError[] | null;
}

/** The key a lookup implementation finds a rule function by. */
export function ruleKey(rule: JsonLogicRule, mode: RuleMode): string {
  return `${mode}:${JSON.stringify(rule)}`;
}

/** The key a lookup implementation finds a schema validator by. */
export function schemaKey(schema: object): string {
  return JSON.stringify(schema);
}
