import { SYSTEM_USER_ID } from '../actors';
import { evaluateAssignments, type FieldAssignments } from '../assignments';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import { newId } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import { notificationsRider, type NewNotification } from '../notifications/notification-service';
import { outputRecord } from '../records/representation';
import { insertRider, type Rider, type Row } from '../records/statements';
import { createNeedsTransaction, prepareCreate } from '../records/write-create';
import type { CreateDecision } from '../records/write-hooks';
import { changesOf } from '../records/write-update';
import { truthy } from '../rules';
import { checkValidationRules } from '../validation-rules/check-validation-rules';
import { validationRuleReads } from '../validation-rules/compile-validation-rules';
import { actionLabel } from './actions';
import { actionTypeOf } from './actions/registry';
import type { CompiledWorkflow } from './compile-workflows';
import { firingConditions, type ConditionCheck } from './fires';
import { notificationTexts, notifyTemplates, referencesRead } from './template-texts';
import { runLogRider, type ActionLog, type WorkflowRunRow } from './run-log';
import { MAX_WORKFLOW_DEPTH, workflowData } from './workflow-data';
import type { RecordTrigger, WorkflowAction } from './types';

/**
 * Plans the workflows a create fires before the row is inserted, when that gives exactly what
 * running them after the insert would (README "Workflows", "How they run"): the common ones set
 * fields of the new record, post notifications and make a follow-up record. Their field updates
 * are applied to the row (its version counts each update that changed something, as the updates
 * would have), and their notifications, new records and run log ride along with the INSERT:
 * one statement instead of a transaction of five. Anything the planner cannot prove equal - an
 * action on an existing record, a value only the database knows yet (created_at, an autonumber),
 * a condition or write that would fail (the after-write run reports it, naming the workflow), an
 * update that another workflow would react to - runs after the insert as before.
 */

const NONE: CreateDecision = Object.freeze({ kind: 'none' });
/** Planned notifications read no reference field (refuseReferences): no name to look up. */
const NO_NAMES: ReadonlyMap<string, string> = new Map();
const AFTER_WRITE: CreateDecision = Object.freeze({ kind: 'after_write' });

/** Thrown inside the planner when only running after the insert gives the right answer. */
class NotPlannable extends Error {}

type NotifyAction = Extract<WorkflowAction, { type: 'notify' }>;

/**
 * What an action type's `plan` can do to a create's plan: refuse (the workflow then runs after
 * the insert), update the new record, create another record along with it, post a notification
 * told from the record as every fired workflow leaves it.
 */
export interface CreatePlanner {
  notPlannable(): never;
  /** Refuses when the rules or templates read a field whose value is unknown before the insert. */
  refuseUnknown(reads: Iterable<string>): void;
  /** Refuses when a notification's templates read a reference field (its name needs the database). */
  refuseReferences(action: NotifyAction): void;
  updateRecord(values: FieldAssignments): void;
  createRecord(object: string, values: FieldAssignments): void;
  notify(action: NotifyAction, index: number): void;
}

/** System columns the database fills in on insert. */
const DATABASE_FILLED = ['created_at', 'updated_at', 'version', 'deleted_at'];

interface ObjectFacts {
  /** Fields whose value is unknown before the insert: database-filled columns, autonumbers, min/max rollups, formulas over them. */
  readonly unknownBeforeInsert: ReadonlySet<string>;
  /** Fields a planned update may not change: what the database checks (unique, references) or the write audits (owner). */
  readonly unplannedChanges: ReadonlySet<string>;
  /** Whether validation rules read a field unknown before the insert. */
  readonly rulesReadUnknown: boolean;
}

const objectFacts = new WeakMap<CompiledObject, ObjectFacts>();

function factsOf(object: CompiledObject): ObjectFacts {
  let facts = objectFacts.get(object);
  if (facts) return facts;
  const unknown = new Set<string>([...DATABASE_FILLED, ...object.autonumbers.map((a) => a.field.name)]);
  for (const field of object.userFields) {
    // A stored aggregate without a starting value (min, max) is unknown until the database computes it.
    if (field.type.computed?.(field.definition).kind === 'aggregate' && field.type.initialValue?.(field.definition) === undefined) unknown.add(field.name);
  }
  // Formulas over unknown fields are unknown too (to a fixed point: formulas may read formulas).
  for (let grew = true; grew; ) {
    grew = false;
    for (const formula of object.formulas) {
      if (!unknown.has(formula.field.name) && formula.reads.some((r) => unknown.has(r))) {
        unknown.add(formula.field.name);
        grew = true;
      }
    }
  }
  const unplanned = new Set<string>(['owner_id']);
  for (const field of object.userFields) {
    if (field.definition.unique || field.type.reference?.(field.definition)) unplanned.add(field.name);
  }
  facts = {
    unknownBeforeInsert: unknown,
    unplannedChanges: unplanned,
    rulesReadUnknown: object.activeValidationRules.some((rule) => [...rule.reads].some((r) => unknown.has(r))),
  };
  objectFacts.set(object, facts);
  return facts;
}

const readsCache = new WeakMap<object, ReadonlySet<string>>();

/** Fields a rule (or a map of value rules) reads, `$old.<field>` counted as its field. */
function readsOf(key: object, rules: () => unknown[]): ReadonlySet<string> {
  let reads = readsCache.get(key);
  if (!reads) {
    const found = new Set<string>();
    for (const rule of rules()) validationRuleReads(rule).forEach((f) => found.add(f));
    reads = found;
    readsCache.set(key, reads);
  }
  return reads;
}

function refuseUnknown(reads: Iterable<string>, facts: ObjectFacts): void {
  for (const name of reads) if (name === '.' || facts.unknownBeforeInsert.has(name)) throw new NotPlannable();
}

/** A condition check for the planner: one that throws is left to the after-write run, which reports it. */
const plannerHolds: ConditionCheck = (workflow, data) => {
  try {
    return truthy(workflow.condition(data));
  } catch {
    throw new NotPlannable();
  }
};

/** Judges the create workflows on the prepared row and plans their work when it can (see above). */
export function planCreate(metadata: CompiledMetadata, object: CompiledObject, prepared: Row, context: RuleContext, depth: number): CreateDecision {
  const workflows = object.activeWorkflows;
  if (workflows.dated.length > 0) return AFTER_WRITE;
  const facts = factsOf(object);
  try {
    let data: Record<string, unknown> | undefined;
    const dataOf = () => (data ??= workflowData(object, prepared, undefined, context));
    const fired: { workflow: CompiledWorkflow; conditions: Record<string, unknown> }[] = [];
    for (const workflow of workflows.onEvent.created) {
      const trigger = workflow.definition.trigger as RecordTrigger;
      if (trigger.condition !== undefined) refuseUnknown(readsOf(trigger, () => [trigger.condition]), facts);
      const conditions = firingConditions(workflow, { event: 'created' }, dataOf, plannerHolds);
      if (conditions) fired.push({ workflow, conditions });
    }
    if (fired.length === 0) return NONE;
    if (depth >= MAX_WORKFLOW_DEPTH || object.definition.track_history || facts.rulesReadUnknown) return AFTER_WRITE;
    return plan(metadata, object, prepared, context, depth, dataOf(), fired, facts);
  } catch (error) {
    if (error instanceof NotPlannable) return AFTER_WRITE;
    throw error;
  }
}

function plan(
  metadata: CompiledMetadata,
  object: CompiledObject,
  prepared: Row,
  context: RuleContext,
  depth: number,
  data: Record<string, unknown>,
  fired: readonly { workflow: CompiledWorkflow; conditions: Record<string, unknown> }[],
  facts: ObjectFacts,
): CreateDecision {
  const recordId = prepared.id as string;
  let row: Row = prepared;
  let version = 1;
  const runs: WorkflowRunRow[] = [];
  const notifications: NewNotification[] = [];
  const notices: { action: NotifyAction; workflow: string; log: { outcome: ActionLog['outcome']; detail: Record<string, unknown> } }[] = [];
  const created: Rider[] = [];
  // What an action's plan (workflows/actions/<type>.ts) may do; `log` names the action being planned.
  let log: (outcome: ActionLog['outcome'], detail: Record<string, unknown>) => void = () => {};
  let actions: ActionLog[] = [];
  let notifiedBy = '';
  const planner: CreatePlanner = {
    notPlannable() {
      throw new NotPlannable();
    },
    refuseUnknown: (reads) => refuseUnknown(reads, facts),
    refuseReferences(action) {
      if (referencesRead(object, notifyTemplates(action)).length > 0) throw new NotPlannable();
    },
    updateRecord(values) {
      refuseUnknown(readsOf(values, () => Object.values(values)), facts);
      const update = plannedUpdate(object, row, evaluate(values, data), context, facts);
      if (update) {
        refuseIfUpdateFires(object, row, update, context);
        row = update.row;
        version++;
      }
      log('done', { object: object.name, id: recordId, version });
    },
    createRecord(objectName, values) {
      refuseUnknown(readsOf(values, () => Object.values(values)), facts);
      const child = plannedChild(metadata, object, prepared, objectName, evaluate(values, data), context);
      created.push(insertRider(child.object, child.row));
      log('done', { object: objectName, id: child.row.id });
    },
    notify(action, index) {
      // Told from the record as all the fired workflows leave it, like the run after the insert does.
      const entry = { action: actionLabel(action, index), type: action.type, outcome: 'done' as ActionLog['outcome'], detail: {} as Record<string, unknown> };
      actions.push(entry);
      notices.push({ action, workflow: notifiedBy, log: entry });
    },
  };
  for (const { workflow, conditions } of fired) {
    const startedAt = new Date().toISOString();
    actions = [];
    notifiedBy = workflow.name;
    for (const [index, action] of workflow.definition.actions.entries()) {
      log = (outcome, detail) => actions.push({ action: actionLabel(action, index), type: action.type, outcome, detail });
      const plan = actionTypeOf(action).plan;
      if (!plan) throw new NotPlannable();
      plan(action, index, planner);
    }
    runs.push({
      id: newId(),
      workflowId: workflow.id,
      objectId: object.id,
      workflow: workflow.name,
      recordId,
      trigger: 'created',
      actorId: context.user.id,
      depth,
      conditions,
      actions,
      outcome: 'completed',
      error: null,
      startedAt,
    });
  }
  const planned = version > 1 ? { ...row, version } : row;
  if (notices.length > 0) {
    const view = outputRecord(object, planned, context);
    for (const { action, workflow, log } of notices) {
      const users = recipients(action, planned);
      if (users.length === 0) {
        log.outcome = 'skipped';
        log.detail = { reason: 'no recipient' };
        continue;
      }
      const texts = notificationTexts(metadata, object, view, action, NO_NAMES);
      notifications.push(...users.map((userId) => ({ userId, ...texts, object: object.name, recordId, workflow })));
      log.detail = { recipients: users };
    }
  }
  const notes = [...created, ...(notifications.length > 0 ? [notificationsRider(notifications)] : [])];
  return { kind: 'planned', row: planned, riders: [runLogRider(runs), ...notes] };
}

function evaluate(values: FieldAssignments, data: Record<string, unknown>): Record<string, unknown> {
  try {
    return evaluateAssignments(values, data);
  } catch {
    throw new NotPlannable();
  }
}

interface PlannedUpdate {
  readonly row: Row;
  readonly changed: ReadonlySet<string>;
}

/**
 * The row after a workflow's update of the new record, as the record pipeline would write it
 * (the same input checks, required fields, dependent options and validation rules, judged with
 * `$old` the row before), or undefined when nothing changes.
 */
function plannedUpdate(object: CompiledObject, row: Row, input: Record<string, unknown>, context: RuleContext, facts: ObjectFacts): PlannedUpdate | undefined {
  let changes: { values: Row; changed: Set<string> };
  try {
    changes = changesOf(object, row, input);
  } catch {
    throw new NotPlannable();
  }
  if (changes.changed.size === 0) return undefined;
  for (const column of changes.changed) if (facts.unplannedChanges.has(column)) throw new NotPlannable();
  const next = { ...row, ...Object.fromEntries([...changes.changed].map((c) => [c, changes.values[c]])) };
  try {
    checkValidationRules(object, next, row, context);
  } catch {
    throw new NotPlannable();
  }
  return { row: next, changed: changes.changed };
}

/**
 * A record a workflow creates alongside the new one, as the record pipeline would write it, when
 * nothing about it needs more than its INSERT: an object without workflows, autonumbers or
 * rollups to maintain, no unique value to collide, and references only to the record being
 * created (or to its owner and actor), so the database can refuse nothing the pipeline accepted.
 */
function plannedChild(metadata: CompiledMetadata, parent: CompiledObject, parentRow: Row, name: string, input: Record<string, unknown>, context: RuleContext): { object: CompiledObject; row: Row } {
  const child = metadata.findObject(name);
  if (!child || child.name === parent.name || child.activeWorkflows.events.size > 0 || createNeedsTransaction(child)) throw new NotPlannable();
  let row: Row;
  try {
    row = prepareCreate(child, input, context);
  } catch {
    throw new NotPlannable();
  }
  const users = new Set([context.user.id, parentRow.owner_id]);
  for (const field of child.fields) {
    const value = field.column ? row[field.column] : undefined;
    if (value === undefined || value === null || field.name === 'id') continue;
    const definition = field.definition;
    if (definition.unique) throw new NotPlannable();
    const reference = field.type.reference?.(definition);
    if (reference?.to === 'record') {
      if (reference.target !== parent.name || value !== parentRow.id) throw new NotPlannable();
    } else if (reference?.to === 'user' && !users.has(value)) throw new NotPlannable();
  }
  return { object: child, row };
}

/** An update that would fire a workflow of its own (one level deeper) is left to the after-write run. */
function refuseIfUpdateFires(object: CompiledObject, before: Row, { row: after, changed }: PlannedUpdate, context: RuleContext): void {
  const updated = object.activeWorkflows.onEvent.updated;
  if (updated.length === 0) return;
  const facts = factsOf(object);
  let data: Record<string, unknown> | undefined;
  const dataOf = () => (data ??= workflowData(object, after, before, context));
  for (const workflow of updated) {
    const trigger = workflow.definition.trigger as RecordTrigger;
    if (trigger.condition !== undefined) refuseUnknown(readsOf(trigger, () => [trigger.condition]), facts);
    if (firingConditions(workflow, { event: 'updated', changed }, dataOf, plannerHolds)) throw new NotPlannable();
  }
}

/** Named users and user fields of the record as planned; a role needs the database. */
function recipients(action: Extract<WorkflowAction, { type: 'notify' }>, record: Row): string[] {
  const ids = new Set<string>();
  for (const recipient of action.recipients) {
    if ('user_id' in recipient) ids.add(recipient.user_id);
    else if ('field' in recipient) {
      const value = record[recipient.field];
      if (typeof value === 'string') ids.add(value);
    } else throw new NotPlannable();
  }
  ids.delete(SYSTEM_USER_ID);
  return [...ids];
}
