import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import { computeFormulas, ruleData } from '../records/representation';
import type { Row } from '../records/statements';

/** How deep workflows may trigger each other: a write at this depth that fires a workflow fails. */
export const MAX_WORKFLOW_DEPTH = 5;

/** The rule data of a record as workflows see it: formulas computed, `$old` set. */
export function workflowData(object: CompiledObject, row: Row, old: Row | undefined, context: RuleContext): Record<string, unknown> {
  const data = ruleData(object, row, context);
  if (object.formulas.length > 0) computeFormulas(object, data);
  let previous: Record<string, unknown> | null = null;
  if (old) {
    previous = ruleData(object, old, context);
    if (object.formulas.length > 0) computeFormulas(object, previous);
  }
  data.$old = previous;
  return data;
}
