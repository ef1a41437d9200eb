import { Cron } from 'croner';
import { SYSTEM_USER_ID } from '../actors';
import type { CompiledField } from '../metadata/compiled';
import { fieldsScope, type RuleContext } from '../metadata/rule-scope';
import type { StoredObject } from '../metadata/snapshot';
import type { RuleScope } from '../rules/scope';
import { validationRuleScope } from '../validation-rules/scope';
import { actionTypeOf } from './actions/registry';
import type { WorkflowDefinition } from './types';

export interface WorkflowCheckContext {
  readonly object: StoredObject;
  readonly fields: ReadonlyMap<string, CompiledField>;
  /** Every live object's fields, by object name (actions write other objects). */
  readonly fieldMaps: ReadonlyMap<string, ReadonlyMap<string, CompiledField>>;
  readonly roleNames: ReadonlySet<string>;
  readonly departmentIds: ReadonlySet<string>;
  readonly report: (path: string, reason: string) => void;
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
    if (trigger.fields && !trigger.events.includes('updated')) report('trigger/fields', 'only applies to the updated event');
    trigger.fields?.forEach((name, i) => {
      if (!fields.has(name)) report(`trigger/fields/${i}`, `"${name}" is not a field of this object`);
    });
    if (trigger.becomes_true && trigger.condition === undefined) report('trigger/becomes_true', 'needs a condition');
    if (trigger.condition !== undefined) checkRule('trigger/condition', trigger.condition, scope);
  } else if (trigger.type === 'date') {
    const field = fields.get(trigger.field);
    if (!field) report('trigger/field', `"${trigger.field}" is not a field of this object`);
    else if (field.definition.type !== 'date' && field.definition.type !== 'datetime') report('trigger/field', `"${trigger.field}" is a ${field.definition.type} field, not a date or datetime`);
    if (trigger.condition !== undefined) checkRule('trigger/condition', trigger.condition, scope);
  } else {
    const tick = nextTick(trigger.cron, trigger.timezone, new Date());
    if ('problem' in tick) report('trigger', `the cron expression or time zone is not valid: ${tick.problem}`);
    else if (tick.at === null) report('trigger/cron', 'never runs');
    if (trigger.filter !== undefined) checkRule('trigger/filter', trigger.filter, scope, fieldsScope(fields, { context: SAMPLE_CONTEXT }));
    if (trigger.older_than) {
      const field = fields.get(trigger.older_than.field);
      if (!field) report('trigger/older_than/field', `"${trigger.older_than.field}" is not a field of this object`);
      else if (!field.column || (field.definition.type !== 'date' && field.definition.type !== 'datetime')) report('trigger/older_than/field', `"${trigger.older_than.field}" is not a stored date or datetime field`);
    }
  }
  workflow.actions.forEach((action, i) => actionTypeOf(action).check(action, `actions/${i}`, scope, context));
}
