import { LRUCache } from 'lru-cache';
import { ruleKey, schemaKey, type Compilers, type SchemaValidateFunction } from '../core/compilers';

/** How many compiled rules and schema validators a process keeps for later revisions. */
export interface ReuseLimits {
  readonly rules: number;
  readonly schemas: number;
}

const DEFAULT_LIMITS: ReuseLimits = Object.freeze({ rules: 20_000, schemas: 1_000 });

type RuleFunction = (data?: unknown) => unknown;

/**
 * Compilers that hand back what they compiled before for the same text: a rule by its mode and
 * JSON text, a JSON Schema by its JSON text (the keys of rules/module-keys.ts). Every revision
 * compiles the whole metadata, but a change then pays only for the rules and validators it
 * changed: the others keep the functions an earlier revision compiled. Safe because a compiled
 * rule and an AJV validator depend on their text alone (no revision, no other document); the
 * validator's `errors` is read right after each synchronous call, so sharing one is as safe as
 * one object's writes sharing it. What fails to compile is not kept (it throws every time, as
 * before). Bounded: the least recently used are forgotten first.
 */
export function reusingCompilers(compilers: Compilers, limits: ReuseLimits = DEFAULT_LIMITS): Compilers {
  const rules = new LRUCache<string, RuleFunction>({ max: limits.rules });
  const schemas = new LRUCache<string, SchemaValidateFunction>({ max: limits.schemas });
  return Object.freeze({
    rule: (rule, mode) => reuse(rules, ruleKey(rule, mode), () => compilers.rule(rule, mode)),
    schema: (schema) => reuse(schemas, schemaKey(schema), () => compilers.schema(schema)),
  } satisfies Compilers);
}

function reuse<F extends RuleFunction>(kept: LRUCache<string, F>, key: string, compile: () => F): F {
  const found = kept.get(key);
  if (found) return found;
  const compiled = compile();
  kept.set(key, compiled);
  return compiled;
}
