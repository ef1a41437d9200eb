import type { JsonLogicRule } from '../rules/scope';
import type { RuleMode } from '../rules/js-generator';

/**
 * CONTRACT between the record input check and whatever turns rules and JSON Schemas into
 * functions. Two implementations exist and must agree:
 * - the engine's default (metadata/default-compilers.ts): `rule` is rules/compile-js's
 *   compileRule (mode 'value') or compileCondition (mode 'boolean'); `schema` is AJV as
 *   configured by metadata/ajv.ts createAjv (draft 2020-12, allErrors, formats email, uri,
 *   date, date-time, uuid in full mode, unicodeRegExp).
 * - the browser's, under `script-src 'self'` (no eval): a lookup in modules generated per
 *   metadata revision (compileRule's output and AJV's standalone code), keyed by
 *   `ruleKey(rule, mode)` = `${mode}:` + the rule's JSON text (with -0 kept apart
 *   from 0) and `schemaKey(schema)` = `JSON.stringify(schema)` (rules/module-keys.ts).
 * Which rules and schemas a revision needs: per object, `recordInputSchema(fields)` (core's
 * record-input.ts), each formula's `expression` and each field's `default` (mode 'value'), and
 * each active validation rule's `condition` (mode 'boolean'); on the server, the metadata compile
 * also passes each active workflow's trigger condition (mode 'boolean') and reuses what it
 * compiled by these keys across revisions (metadata/reused-compilers.ts). Either method may throw when it
 * has no function for its input; a validation rule that fails to compile then fails every
 * write it checks, a formula or default fails the compile of the object (as on the server).
 */
export interface Compilers {
  /** mode 'value' = compileRule, 'boolean' = compileCondition */
  rule(rule: JsonLogicRule, mode: RuleMode): (data?: unknown) => unknown;
  /** an AJV-compatible validate function: returns boolean, sets .errors */
  schema(schema: object): SchemaValidateFunction;
}

export type { RuleMode };

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

// The keys a lookup implementation finds a rule function or a schema validator by; the
// standalone module generator names its entries with the same functions.
export { ruleKey, schemaKey } from '../rules/module-keys';
