import { CrmError, type FieldIssue } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import { computeFormulas, ruleData } from '../metadata/rule-data';

/**
 * Runs an object's active validation rules on a record as it is about to be stored: `record` is
 * the whole row (on update: the stored row merged with the change), `previous` the stored row
 * before an update (undefined on create, seen by rules as `$old` = null). Every failing rule is
 * reported at once (`rule_violation`, 422), one entry per field it points at; a rule that throws
 * counts as failing, so a bad rule can refuse a write but never crash it. Objects without
 * active rules return at once.
 */
export function checkValidationRules(
  object: CompiledObject,
  record: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
  context: RuleContext,
): void {
  const rules = object.activeValidationRules;
  if (rules.length === 0) return;
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
  if (issues.length > 0) throw new CrmError('rule_violation', { object: object.name }, issues);
}
