import type { Compilers } from '../core/compilers';
import type { StoredElement } from '../metadata/snapshot';
import type { CompiledCondition } from '../rules';
import { RECORD_EVENTS, type RecordEventName, type WorkflowDefinition } from './types';

/** An active workflow, compiled once per metadata revision. */
export interface CompiledWorkflow {
  /** The stored document's id (run logs, schedules and counters point at it). */
  readonly id: string;
  readonly name: string;
  readonly definition: WorkflowDefinition;
  /** The trigger's condition on the rule data (none: always). May throw: a throwing condition fails the run. */
  readonly condition: CompiledCondition;
}

/** What the record pipeline and the scheduler need of an object's workflows. */
export interface CompiledObjectWorkflows {
  /** Record events with any work to do (record or date triggers): none means writes pay nothing. */
  readonly events: ReadonlySet<RecordEventName>;
  /** Record-triggered workflows per event, in name order. */
  readonly onEvent: Readonly<Record<RecordEventName, readonly CompiledWorkflow[]>>;
  /** Date-relative workflows: planned on create/restore, re-planned on update, dropped on delete. */
  readonly dated: readonly CompiledWorkflow[];
  /** Cron workflows. */
  readonly scheduled: readonly CompiledWorkflow[];
}

export const NO_WORKFLOWS: CompiledObjectWorkflows = Object.freeze({
  events: new Set<RecordEventName>(),
  onEvent: Object.freeze({ created: [], updated: [], deleted: [], restored: [] }),
  dated: [],
  scheduled: [],
});

const always: CompiledCondition = () => true;

/**
 * The active workflows of one object, their conditions compiled through `compilers` (the
 * metadata compile's: an unchanged condition keeps its function from an earlier revision). A
 * stored workflow was validated when saved; one whose condition no longer compiles (a compiler
 * change since) fails every run instead of taking the whole metadata down.
 */
export function compileWorkflows(stored: readonly StoredElement<WorkflowDefinition>[], compilers: Compilers): CompiledObjectWorkflows {
  const active = stored
    .filter((s) => s.definition.active !== false)
    .sort((a, b) => (a.definition.name < b.definition.name ? -1 : a.definition.name > b.definition.name ? 1 : 0))
    .map((s): CompiledWorkflow => {
      const rule = 'condition' in s.definition.trigger ? s.definition.trigger.condition : undefined;
      let condition = always;
      if (rule !== undefined) {
        try {
          condition = compilers.rule(rule, 'boolean') as CompiledCondition;
        } catch (error) {
          condition = () => {
            throw error;
          };
        }
      }
      return Object.freeze({ id: s.id, name: s.definition.name, definition: s.definition, condition });
    });
  if (active.length === 0) return NO_WORKFLOWS;
  const onEvent = Object.fromEntries(
    RECORD_EVENTS.map((event) => [event, active.filter((w) => w.definition.trigger.type === 'record' && w.definition.trigger.events.includes(event))]),
  ) as Record<RecordEventName, CompiledWorkflow[]>;
  const dated = active.filter((w) => w.definition.trigger.type === 'date');
  const events = new Set<RecordEventName>(RECORD_EVENTS.filter((e) => onEvent[e].length > 0));
  // A date-relative workflow follows its records through every event.
  if (dated.length > 0) RECORD_EVENTS.forEach((e) => events.add(e));
  return Object.freeze({ events, onEvent: Object.freeze(onEvent), dated, scheduled: active.filter((w) => w.definition.trigger.type === 'schedule') });
}
