import type { ErrorObject } from 'ajv';
import type { Compilers } from './compilers';
import type { JsonSchema } from '../documents/json-schema';
import { evaluateWithClosures } from '../rules/closure-evaluator';
import type { JsHelpers, RuleMode } from '../rules/js-generator';
import { ruleHelpers } from '../rules/js-helpers';
import { ruleKey, schemaKey } from '../rules/module-keys';
import type { JsonLogicRule } from '../rules/scope';
import { standaloneRequire } from '../rules/standalone-runtime';

/**
 * Compilers for a page that forbids eval (`script-src 'self'`): rules and JSON Schema validators
 * are looked up in a generated standalone module (rules/standalone-module.ts, served per metadata
 * revision by the server) instead of compiled with `new Function`. Same generated code as the
 * server's, so the same answers. Imports nothing Node-only and nothing that evaluates code.
 *
 *   const compilers = moduleCompilers(await import(`/api/meta/client/modules/${revision}.js`));
 *   compilers.rule(formula.expression, 'value')(record);
 */

/** An AJV-like validator: true or false, with the failures in `errors`. */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The Compilers of core/compilers.ts: the server's implementation compiles, this one looks up. */
export type ModuleCompilers = Compilers;

/** What the generated module's default export receives. */
export interface ModuleRuntime {
  readonly rules: JsHelpers;
  readonly require: (name: string) => unknown;
}

export interface ModuleContents {
  readonly rules: ReadonlyMap<string, (data?: unknown) => unknown>;
  readonly schemas: ReadonlyMap<string, SchemaValidator>;
}

/** A loaded generated module (the namespace `import()` returns). */
export interface StandaloneModule {
  readonly default: (runtime: ModuleRuntime) => ModuleContents;
}

/**
 * The runtime handed to generated modules. Rules met only at run time (json-logic-js re-applies
 * computed `missing` keys; they may come from the data) cannot be in a module: they go to the
 * closure evaluator, which has the same semantics and the same checks.
 */
export const moduleRuntime: ModuleRuntime = Object.freeze({
  rules: ruleHelpers(evaluateWithClosures),
  require: standaloneRequire,
});

export function moduleCompilers(loaded: StandaloneModule, label = 'the metadata module'): ModuleCompilers {
  if (typeof loaded?.default !== 'function') throw new Error(`${label} is not a generated rules module (no default export function)`);
  const { rules, schemas } = loaded.default(moduleRuntime);
  return {
    rule(rule, mode) {
      const key = ruleKey(rule, mode);
      const found = rules.get(key);
      if (!found) throw new Error(`${label} has no ${mode} rule ${abbreviate(key.slice(mode.length + 1))}: load the module of the current revision`);
      return found;
    },
    schema(schema) {
      const key = schemaKey(schema);
      const found = schemas.get(key);
      if (!found) throw new Error(`${label} has no validator for the schema ${abbreviate(key)}: load the module of the current revision`);
      return found;
    },
  };
}

function abbreviate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
