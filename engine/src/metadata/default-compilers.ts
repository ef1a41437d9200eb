import type { Compilers } from '../core/compilers';
import { compileCondition, compileRule } from '../rules';
import { compileUnkeptSchema } from './ajv';
import type { JsonSchema } from './json-schema';

/**
 * The engine's own compilers (see the contract in core/compilers.ts): rules become functions
 * through rules/compile-js and schemas through the one AJV configuration. Both generate code at
 * run time, which is fine in Node; a browser under `script-src 'self'` injects modules instead.
 */
export const defaultCompilers: Compilers = Object.freeze({
  rule: (rule: unknown, mode: 'value' | 'boolean') => (mode === 'boolean' ? compileCondition(rule) : compileRule(rule)),
  schema: (schema: object) => compileUnkeptSchema(schema as JsonSchema),
});
