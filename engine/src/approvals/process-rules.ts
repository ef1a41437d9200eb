import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import { computeFormulas, ruleData } from '../records/representation';
import type { Row } from '../records/statements';
import { cachedCondition } from '../rules/rule-cache';

/**
 * Running a process's rules on a record. A request carries its own copy of the process, so its
 * rules are compiled from the copy, once per distinct rule text (rules/rule-cache.ts); its field
 * updates are evaluated by assignments/.
 */

/** The record as rules see it: stored values (decimals as numbers), formulas, `$user`, `$now`, `$today`. */
export function recordRuleData(object: CompiledObject, row: Row, context: RuleContext): Record<string, unknown> {
  const data = ruleData(object, row, context);
  computeFormulas(object, data);
  return data;
}

/** An absent criterion holds. */
export function holds(rule: unknown, data: Record<string, unknown>): boolean {
  if (rule === undefined) return true;
  return cachedCondition(rule)(data);
}
