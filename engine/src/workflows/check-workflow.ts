import { Cron } from 'croner';
import { SYSTEM_USER_ID } from '../actors';
import type { CompiledField } from '../metadata/compiled';
import { fieldsScope, type RuleContext } from '../metadata/rule-scope';
import type { StoredObject } from '../metadata/snapshot';
import type { RuleScope } from '../rules/scope';
import { validationRuleScope } from '../validation-rules/scope';
import { actionTypeOf } from './actions/registry';
import type { WorkflowDefinition } from './types';
import { reason, type ReasonData } from '../errors';

export interface WorkflowCheckContext {
  readonly object: StoredObject;
  readonly fields: ReadonlyMap<string, CompiledField>;
  /** Every live object's fields, by object name (actions write other objects). */
  readonly fieldMaps: ReadonlyMap<string, ReadonlyMap<string, CompiledField>>;
  readonly roleNames: ReadonlySet<string>;
  readonly departmentIds: ReadonlySet<string>;
  readonly report: (path: string, reason: ReasonData) => void;
  readonly checkRule: (path: string, rule: unknown, scope: RuleScope, sqlScope?: RuleScope) => void;
}

const SAMPLE_CONTEXT: RuleContext = { user: { id: SYSTEM_USER_ID }, now: new Date(0) };

/** The next tick of a cron expression after `after`, or why the expression or time zone is wrong. */
export function nextTick(cron: string, timezone: string | undefined, after: Date): { at: Date | null } | { problem: string } {
  try {
    const schedule = new Cron(cron, { paused: true, ...(timezone ? { timezone } : { timezone: 'UTC' }) });
    return { at: schedule.nextRun(after) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/**
 * What JSON Schema cannot check in a workflow, against the whole metadata (run by
 * validate-graph.ts on every change, so deleting a field, an object or a role a workflow uses is
 * refused, naming it): fields and objects that exist and fit, writable target fields, roles,
 * departments and approval processes that exist, rules over known variables (a schedule's filter
 * must run in SQL), templates that parse, cron expressions that parse. Users named by id are
 * checked by the service when the workflow is saved (users are not metadata).
 */
export function checkWorkflow(workflow: WorkflowDefinition, context: WorkflowCheckContext): void {
  const { fields, report, checkRule } = context;
  const trigger = workflow.trigger;
  // Record triggers see `$old`; date and schedule triggers run on the record as it is then.
  const scope = trigger.type === 'record' ? validationRuleScope(fields) : fieldsScope(fields);
  if (trigger.type === 'record') {
    if (trigger.fields && !trigger.events.includes('updated')) report('trigger/fields', reason('only_for_event', { event: 'updated' }));
    trigger.fields?.forEach((name, i) => {
      if (!fields.has(name)) report(`trigger/fields/${i}`, reason('not_a_field_of_this_object', { name }));
    });
    if (trigger.becomes_true && trigger.condition === undefined) report('trigger/becomes_true', reason('needs_condition'));
    if (trigger.condition !== undefined) checkRule('trigger/condition', trigger.condition, scope);
  } else if (trigger.type === 'date') {
    const field = fields.get(trigger.field);
    if (!field) report('trigger/field', reason('not_a_field_of_this_object', { name: trigger.field }));
    else if (!field.type.temporal) report('trigger/field', reason('field_not_date', { name: trigger.field, type: field.definition.type }));
    if (trigger.condition !== undefined) checkRule('trigger/condition', trigger.condition, scope);
  } else {
    const tick = nextTick(trigger.cron, trigger.timezone, new Date());
    if ('problem' in tick) report('trigger', reason('schedule_invalid', { problem: tick.problem }));
    else if (tick.at === null) report('trigger/cron', reason('never_runs'));
    if (trigger.filter !== undefined) checkRule('trigger/filter', trigger.filter, scope, fieldsScope(fields, { context: SAMPLE_CONTEXT }));
    if (trigger.older_than) {
      const field = fields.get(trigger.older_than.field);
      if (!field) report('trigger/older_than/field', reason('not_a_field_of_this_object', { name: trigger.older_than.field }));
      else if (!field.column || !field.type.temporal) report('trigger/older_than/field', reason('field_not_stored_date', { name: trigger.older_than.field }));
    }
  }
  workflow.actions.forEach((action, i) => actionTypeOf(action).check(action, `actions/${i}`, scope, context));
}
