import type { CompiledWorkflow } from './compile-workflows';
import type { RecordEventName, RecordTrigger } from './types';

/** A record event as a record-triggered workflow judges it. */
export interface TriggerEvent {
  readonly event: RecordEventName;
  /** Fields the write changed (updates). */
  readonly changed?: ReadonlySet<string>;
}

/** Judges a condition on rule data; `what` names it for errors ('condition', 'condition on $old'). */
export type ConditionCheck = (workflow: CompiledWorkflow, data: Record<string, unknown>, what: string) => boolean;

/**
 * What decided that a record-triggered workflow fires (the run log keeps it), or undefined when
 * it does not: the event, the named fields the update changed, the condition on the record as
 * written and, with `becomes_true`, that it did not hold on `$old` (a new record was nothing
 * before, so true now is enough). The one place this is decided, for the runner after a write and
 * for the planner before a create.
 */
export function firingConditions(
  workflow: CompiledWorkflow,
  event: TriggerEvent,
  dataOf: () => Record<string, unknown>,
  holds: ConditionCheck,
): Record<string, unknown> | undefined {
  const trigger = workflow.definition.trigger as RecordTrigger;
  const conditions: Record<string, unknown> = { event: event.event };
  if (event.event === 'updated' && trigger.fields) {
    const changed = trigger.fields.filter((f) => event.changed?.has(f));
    if (changed.length === 0) return undefined;
    conditions.fields_changed = changed;
  }
  if (trigger.condition === undefined) return conditions;
  const data = dataOf();
  if (!holds(workflow, data, 'condition')) return undefined;
  conditions.condition = true;
  if (trigger.becomes_true) {
    const old = data.$old as Record<string, unknown> | null;
    if (old && holds(workflow, { ...old, $old: null }, 'condition on $old')) return undefined;
    conditions.was = false;
  }
  return conditions;
}
