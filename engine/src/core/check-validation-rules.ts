import { CrmError, type FieldIssue } from '../errors';
import type { InputObject } from './compiled';
import type { RuleContext } from './rule-scope';
import { computeFormulas, ruleData } from './rule-data';

/**
 * Runs an object's active validation rules on a record as it is about to be stored: `record` is
 * the whole row (on update: the stored row merged with the change), `previous` the stored row
 * before an update (undefined on create, seen by rules as `$old` = null). Every failing rule is
 * reported at once, one issue per field it points at; a rule that throws counts as failing, so
 * a bad rule can refuse a write but never crash it. Objects without active rules return at once.
 */
export function validationRuleIssues(
  object: InputObject,
  record: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
  context: RuleContext,
): FieldIssue[] {
  const rules = object.activeValidationRules;
  if (rules.length === 0) return [];
  const formulas = object.formulas.length > 0 && rules.some((rule) => object.formulas.some((f) => rule.reads.has(f.field.name)));
  const data = ruleData(object, record, context);
  if (formulas) computeFormulas(object, data);
  let old: Record<string, unknown> | null = null;
  if (previous) {
    old = ruleData(object, previous, context);
    if (formulas) computeFormulas(object, old);
  }
  data.$old = old;
  const issues: FieldIssue[] = [];
  for (const rule of rules) {
    let holds: boolean;
    try {
      holds = rule.holds(data);
    } catch {
      holds = false;
    }
    if (holds) continue;
    for (const path of rule.paths) issues.push({ path, code: `rule:${rule.name}`, message: rule.message });
  }
  return issues;
}

/** The rules' verdict as the write pipeline reports it: `rule_violation` (422) with every failing rule. */
export function ruleViolation(object: InputObject, issues: readonly FieldIssue[]): CrmError {
  return new CrmError('rule_violation', { object: object.name }, issues);
}

/** validationRuleIssues, thrown as rule_violation when any rule fails. */
export function checkValidationRules(
  object: InputObject,
  record: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
  context: RuleContext,
): void {
  const issues = validationRuleIssues(object, record, previous, context);
  if (issues.length > 0) throw ruleViolation(object, issues);
}
