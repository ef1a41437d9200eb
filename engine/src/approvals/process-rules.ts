import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import { computeFormulas, ruleData } from '../records/representation';
import type { Row } from '../records/statements';
import { compileCondition, compileRule, type CompiledCondition, type CompiledRule } from '../rules';
import type { FieldUpdates } from './types';

/**
 * Running a process's rules on a record. A request carries its own copy of the process, so rules
 * are compiled from the copy, once per distinct rule text (a bounded cache), not per call.
 */

const MAX_CACHED = 1000;
const conditions = new Map<string, CompiledCondition>();
const values = new Map<string, CompiledRule>();

function cached<T>(cache: Map<string, T>, rule: unknown, compile: (rule: unknown) => T): T {
  const key = JSON.stringify(rule);
  let found = cache.get(key);
  if (!found) {
    if (cache.size >= MAX_CACHED) cache.clear();
    found = compile(rule);
    cache.set(key, found);
  }
  return found;
}

/** The record as rules see it: stored values (decimals as numbers), formulas, `$user`, `$now`, `$today`. */
export function recordRuleData(object: CompiledObject, row: Row, context: RuleContext): Record<string, unknown> {
  const data = ruleData(object, row, context);
  computeFormulas(object, data);
  return data;
}

/** An absent criterion holds. */
export function holds(rule: unknown, data: Record<string, unknown>): boolean {
  if (rule === undefined) return true;
  return cached(conditions, rule, (r) => compileCondition(r))(data);
}

/** Field updates evaluated on the record: the input of one update through the write pipeline. */
export function evaluateUpdates(updates: FieldUpdates, data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(updates).map(([field, rule]) => [field, cached(values, rule, (r) => compileRule(r))(data) ?? null]));
}
