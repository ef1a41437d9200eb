import { Cron } from 'croner';
import { SYSTEM_USER_ID } from '../actors';
import { templateProblem, templateReads } from '../delivery/render-template';
import type { CompiledField } from '../metadata/compiled';
import { fieldsScope, type RuleContext } from '../metadata/rule-scope';
import type { StoredObject } from '../metadata/snapshot';
import type { RuleScope } from '../rules/scope';
import { validationRuleScope } from '../validation-rules/scope';
import type { FieldValues, Recipient, WorkflowAction, WorkflowDefinition } from './types';

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
const ADDRESS = /^[^<>@\s]+@[^<>@\s]+$/;

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
  workflow.actions.forEach((action, i) => checkAction(action, `actions/${i}`, scope, context));
}

function checkAction(action: WorkflowAction, at: string, scope: RuleScope, context: WorkflowCheckContext): void {
  const { fields, fieldMaps, report, checkRule } = context;
  const userField = (name: string, path: string) => {
    const field = fields.get(name);
    if (!field) report(path, `"${name}" is not a field of this object`);
    else if (field.definition.type !== 'user') report(path, `"${name}" is a ${field.definition.type} field, not a user field`);
  };
  // A template naming a field that does not exist would render nothing in its place, silently:
  // refused like a rule's unknown variable (so deleting a field a template shows is refused too).
  const checkTemplate = (text: string | undefined, path: string) => {
    if (text === undefined) return;
    const problem = templateProblem(text);
    if (problem) {
      report(path, `is not a valid template: ${problem}`);
      return;
    }
    for (const name of templateReads(text, { topLevelOnly: true })) {
      if (name !== '.' && !fields.has(name)) report(path, `reads "${name}", which is not a field of this object`);
    }
  };
  const checkRoundRobin = (spec: { role: string } | { department_id: string }, path: string) => {
    if ('role' in spec && !context.roleNames.has(spec.role)) report(`${path}/role`, `role "${spec.role}" does not exist`);
    if ('department_id' in spec && !context.departmentIds.has(spec.department_id)) report(`${path}/department_id`, `department ${spec.department_id} does not exist`);
  };
  switch (action.type) {
    case 'update_record': {
      let target = context.object.definition.name;
      if (action.target !== undefined) {
        const field = fields.get(action.target);
        if (!field || field.system) report(`${at}/target`, `"${action.target}" is not a field of this object`);
        else if (field.definition.type !== 'lookup' && field.definition.type !== 'master_detail') report(`${at}/target`, `"${action.target}" is a ${field.definition.type} field, not a lookup`);
        else target = field.definition.target;
      }
      checkValues(action.values, `${at}/values`, fieldMaps.get(target), target, scope, context);
      break;
    }
    case 'create_record':
      if (!fieldMaps.has(action.object)) report(`${at}/object`, `object "${action.object}" does not exist`);
      else checkValues(action.values, `${at}/values`, fieldMaps.get(action.object), action.object, scope, context);
      break;
    case 'assign_owner':
      if ('round_robin' in action) checkRoundRobin(action.round_robin, `${at}/round_robin`);
      if ('rules' in action) {
        action.rules.forEach((rule, r) => {
          checkRule(`${at}/rules/${r}/when`, rule.when, scope);
          if ('round_robin' in rule) checkRoundRobin(rule.round_robin, `${at}/rules/${r}/round_robin`);
        });
        if (action.otherwise && 'round_robin' in action.otherwise) checkRoundRobin(action.otherwise.round_robin, `${at}/otherwise/round_robin`);
      }
      break;
    case 'add_share':
      if (action.field !== undefined) userField(action.field, `${at}/field`);
      if (action.department_id !== undefined && !context.departmentIds.has(action.department_id)) report(`${at}/department_id`, `department ${action.department_id} does not exist`);
      break;
    case 'notify':
      action.recipients.forEach((recipient: Recipient, r) => {
        if ('field' in recipient) userField(recipient.field, `${at}/recipients/${r}/field`);
        if ('role' in recipient && !context.roleNames.has(recipient.role)) report(`${at}/recipients/${r}/role`, `role "${recipient.role}" does not exist`);
      });
      checkTemplate(action.title, `${at}/title`);
      checkTemplate(action.body, `${at}/body`);
      break;
    case 'send_email':
      for (const key of ['to', 'cc'] as const) {
        action[key]?.forEach((entry, r) => {
          const path = `${at}/${key}/${r}`;
          if (typeof entry === 'string') {
            if (!ADDRESS.test(entry.trim())) report(path, `"${entry}" is not an email address`);
            return;
          }
          const field = fields.get(entry.field);
          if (!field) report(`${path}/field`, `"${entry.field}" is not a field of this object`);
          else if (field.definition.type !== 'email' && field.definition.type !== 'user') report(`${path}/field`, `"${entry.field}" is a ${field.definition.type} field, not an email or user field`);
        });
      }
      checkTemplate(action.subject, `${at}/subject`);
      checkTemplate(action.text, `${at}/text`);
      checkTemplate(action.html, `${at}/html`);
      break;
    case 'webhook': {
      let url: URL | undefined;
      try {
        url = new URL(action.url);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) report(`${at}/url`, 'must be an http or https address without credentials');
      for (const [key, rule] of Object.entries(action.body ?? {})) checkRule(`${at}/body/${key}`, rule, scope);
      break;
    }
    case 'submit_for_approval': {
      const processes = context.object.approvalProcesses.map((p) => p.definition.name);
      if (action.process !== undefined && !processes.includes(action.process)) report(`${at}/process`, `approval process "${action.process}" does not exist on this object`);
      if (action.process === undefined && processes.length === 0) report(at, 'this object has no approval process');
      break;
    }
  }
}

/** Field values written to `objectName`: writable fields of it, each value a rule over the triggering record. */
function checkValues(
  values: FieldValues,
  at: string,
  targetFields: ReadonlyMap<string, CompiledField> | undefined,
  objectName: string,
  scope: RuleScope,
  context: WorkflowCheckContext,
): void {
  for (const [name, rule] of Object.entries(values)) {
    const field = targetFields?.get(name);
    if (!field) {
      context.report(`${at}/${name}`, `"${name}" is not a field of ${objectName}`);
      continue;
    }
    if (!field.writable) {
      context.report(`${at}/${name}`, `"${name}" cannot be written (${field.system ? 'a system field' : field.definition.read_only ? 'read-only' : `a ${field.definition.type} field`})`);
      continue;
    }
    context.checkRule(`${at}/${name}`, rule, scope);
  }
}
