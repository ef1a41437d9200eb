import { sql, type Kysely, type Transaction } from 'kysely';
import { SYSTEM_USER_ID, systemActor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import type { JobQueue, JsonObject, RunningJob } from '../jobs';
import type { MetadataCache } from '../metadata/cache';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import type { RecordService } from '../records/record-service';
import { selectRowForUpdate, type Row } from '../records/statements';
import type { RecordWriteEvent } from '../records/write-hooks';
import { truthy } from '../rules';
import { actionKey } from './actions';
import { actionTypeOf } from './actions/registry';
import { nextTick } from './check-workflow';
import type { CompiledWorkflow } from './compile-workflows';
import type { WorkflowRunner } from './run-workflows';
import { workflowData } from './workflow-data';
import type { DateTrigger, ScheduleTrigger, WorkflowDefinition } from './types';

/**
 * Scheduled workflows, through the job queue.
 *
 * Date-relative: one row per (workflow, record) in crm_meta.workflow_schedules and one job due
 * at the planned time, keyed by the row's generation. Re-planning (the date or the condition
 * changed) bumps the generation and enqueues a new job; dropping it deletes the row. A job whose
 * generation is no longer the row's does nothing, so a pending job never needs cancelling. When
 * the job runs it locks the row and the record, and re-checks the date and the condition.
 *
 * Cron: a chain of jobs, one per tick, each keyed by the workflow and the tick's time: the job of
 * a tick first enqueues the next tick (a second enqueue of the same key adds nothing, so several
 * server processes, or a re-seed at start, never fork the chain), then runs the workflow on every
 * record its filter selects, each record in its own transaction. A changed schedule or a
 * deactivated workflow ends the old chain when its next job finds the definition changed.
 */

export const DATE_TASK = 'workflow_date';
export const CRON_TASK = 'workflow_cron';

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
/** A planned run is due when it is at most this early (the queue's clock and the database's may differ a little). */
const EARLY_TOLERANCE_MS = 2_000;
const CRON_PAGE = 200;
/**
 * A record that comes to qualify shortly after its moment still gets its run, at once: a contract
 * entered today that ends in exactly 30 days must still remind its owner "30 days before" (a date
 * counts from 00:00). Further past, it is not run, so that importing old records does not send a
 * flood of stale reminders.
 */
export const LATE_RUN_MS = 86_400_000;

/** When a date-relative workflow is due for a record (rule data), or null when the date is empty. */
export function dueAt(trigger: DateTrigger, data: Record<string, unknown>): Date | null {
  const value = data[trigger.field];
  if (typeof value !== 'string' || value === '') return null;
  const base = new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(base.getTime())) return null;
  return new Date(base.getTime() + (trigger.offset ?? 0) * UNIT_MS[trigger.unit ?? 'days']);
}

function conditionHolds(workflow: CompiledWorkflow, data: Record<string, unknown>): boolean {
  try {
    return truthy(workflow.condition(data));
  } catch {
    // A condition that cannot be computed plans nothing; the run log would have nothing to say yet.
    return false;
  }
}

/** Plans, re-plans or drops the object's date-relative runs for the record a write touched. */
export async function planDated(trx: Transaction<unknown>, jobs: JobQueue, event: RecordWriteEvent, dataOf: () => Record<string, unknown>): Promise<void> {
  const recordId = event.after.id as string;
  for (const workflow of event.object.activeWorkflows.dated) {
    if (event.event === 'deleted') {
      await dropPlan(trx, workflow.id, recordId);
      continue;
    }
    const trigger = workflow.definition.trigger as DateTrigger;
    const data = dataOf();
    const due = dueAt(trigger, data);
    const holds = due !== null && conditionHolds(workflow, data);
    if (event.event === 'updated') {
      const old = data.$old as Record<string, unknown> | null;
      const oldDue = old ? dueAt(trigger, old) : null;
      const oldHolds = old !== null && oldDue !== null && conditionHolds(workflow, { ...old, $old: null });
      // Nothing that decides the plan changed: the planned run stands.
      if (oldDue?.getTime() === due?.getTime() && oldHolds === holds) continue;
    }
    if (due !== null && holds && due.getTime() > Date.now() - LATE_RUN_MS) await plan(trx, jobs, workflow, event.object, recordId, due);
    else await dropPlan(trx, workflow.id, recordId);
  }
}

async function plan(trx: Transaction<unknown>, jobs: JobQueue, workflow: CompiledWorkflow, object: CompiledObject, recordId: string, due: Date): Promise<void> {
  // The record's row is locked by its write, so its plan rows are never written concurrently.
  const existing = await sql<{ generation: number }>`
    select generation from crm_meta.workflow_schedules where workflow_id = ${workflow.id}::uuid and record_id = ${recordId}::uuid for update`.execute(trx);
  let generation = 1;
  if (existing.rows[0]) {
    generation = Number(existing.rows[0].generation) + 1;
    await sql`
      update crm_meta.workflow_schedules set due_at = ${due.toISOString()}::timestamptz, generation = ${generation}
      where workflow_id = ${workflow.id}::uuid and record_id = ${recordId}::uuid`.execute(trx);
  } else {
    await sql`
      insert into crm_meta.workflow_schedules (workflow_id, record_id, due_at, generation)
      values (${workflow.id}::uuid, ${recordId}::uuid, ${due.toISOString()}::timestamptz, 1)`.execute(trx);
  }
  await jobs.enqueue(trx, {
    task: DATE_TASK,
    key: `workflow-date:${workflow.id}:${recordId}:${generation}`,
    runAt: due,
    payload: { workflow_id: workflow.id, object: object.name, record_id: recordId, generation },
  });
}

async function dropPlan(trx: Transaction<unknown>, workflowId: string, recordId: string): Promise<void> {
  await sql`delete from crm_meta.workflow_schedules where workflow_id = ${workflowId}::uuid and record_id = ${recordId}::uuid`.execute(trx);
}

/** The object and compiled workflow with this id, if it is still active. */
function findWorkflow(metadata: CompiledMetadata, id: string, kind: 'dated' | 'scheduled'): { object: CompiledObject; workflow: CompiledWorkflow } | undefined {
  for (const object of metadata.objects()) {
    const workflow = object.activeWorkflows[kind].find((w) => w.id === id);
    if (workflow) return { object, workflow };
  }
  return undefined;
}

const systemContext = (now: Date): RuleContext => ({ user: { id: SYSTEM_USER_ID }, now });

/** What the scheduled tasks need. */
export interface ScheduleServices {
  readonly db: Kysely<SystemDatabase>;
  readonly cache: MetadataCache;
  readonly jobs: JobQueue;
  readonly records: RecordService;
  readonly runner: WorkflowRunner;
}

/** Work outside any record write, in its own transaction; a failed run's log is written after its rollback. */
async function runAlone(services: ScheduleServices, work: (trx: Transaction<unknown>) => Promise<JsonObject>): Promise<JsonObject> {
  try {
    return await (services.db as unknown as Kysely<unknown>).transaction().execute(work);
  } catch (error) {
    await services.runner.afterRollback(error).catch(() => {});
    throw error;
  }
}

/** The `workflow_date` task: a planned run came due. Failing actions fail the job, which is retried with back-off. */
export function dateTask(services: ScheduleServices) {
  return async (job: RunningJob): Promise<JsonObject> => {
    const { workflow_id: workflowId, record_id: recordId, generation } = job.payload as { workflow_id: string; record_id: string; generation: number };
    const metadata = await services.cache.current();
    const found = findWorkflow(metadata, workflowId, 'dated');
    if (!found) return { outcome: 'skipped', reason: 'the workflow is inactive or gone' };
    const { object, workflow } = found;
    return runAlone(services, async (trx) => {
      const planned = await sql<{ generation: number }>`
        select generation from crm_meta.workflow_schedules where workflow_id = ${workflowId}::uuid and record_id = ${recordId}::uuid for update`.execute(trx);
      if (Number(planned.rows[0]?.generation) !== generation) return { outcome: 'skipped', reason: 're-planned or dropped since' };
      const record = await selectRowForUpdate(trx, object, recordId);
      const now = new Date();
      const data = record && record.deleted_at === null ? workflowData(object, record, undefined, systemContext(now)) : undefined;
      const due = data ? dueAt(workflow.definition.trigger as DateTrigger, data) : null;
      await dropPlan(trx, workflowId, recordId);
      if (!record || !data) return { outcome: 'skipped', reason: 'the record is gone' };
      if (due === null || due.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return { outcome: 'skipped', reason: 'the date moved' };
      if (!conditionHolds(workflow, data)) return { outcome: 'skipped', reason: 'the condition no longer holds' };
      await services.runner.runScheduled({
        trx,
        metadata,
        object,
        workflow,
        trigger: 'date',
        record,
        old: undefined,
        data,
        context: systemContext(now),
        depth: 0,
        conditions: { due_at: due.toISOString(), condition: true },
      });
      return { outcome: 'ran', record_id: recordId };
    });
  };
}

/** The identity of a cron chain: a changed expression or time zone starts a new chain and ends the old. */
function cronSpec(trigger: ScheduleTrigger): string {
  return `${trigger.cron}|${trigger.timezone ?? 'UTC'}`;
}

/** Enqueues the tick after `after` of a cron workflow (idempotent per tick). */
export async function enqueueNextTick(db: Kysely<unknown> | Transaction<unknown>, jobs: JobQueue, workflowId: string, definition: WorkflowDefinition, after: Date): Promise<void> {
  const trigger = definition.trigger;
  if (trigger.type !== 'schedule' || definition.active === false) return;
  const tick = nextTick(trigger.cron, trigger.timezone, after);
  if (!('at' in tick) || tick.at === null) return;
  await jobs.enqueue(db, {
    task: CRON_TASK,
    key: `workflow-cron:${workflowId}:${tick.at.toISOString()}`,
    runAt: tick.at,
    payload: { workflow_id: workflowId, tick: tick.at.toISOString(), spec: cronSpec(trigger) },
  });
}

/** The `workflow_cron` task: one tick of a cron workflow. */
export function cronTask(services: ScheduleServices) {
  return async (job: RunningJob): Promise<JsonObject> => {
    const { workflow_id: workflowId, tick, spec } = job.payload as { workflow_id: string; tick: string; spec: string };
    const metadata = await services.cache.current();
    const found = findWorkflow(metadata, workflowId, 'scheduled');
    const trigger = found?.workflow.definition.trigger as ScheduleTrigger | undefined;
    if (!found || !trigger || cronSpec(trigger) !== spec) return { outcome: 'skipped', reason: 'the workflow is inactive, gone or rescheduled' };
    const { object, workflow } = found;
    const tickAt = new Date(tick);
    // The next tick first: a crash below still leaves the chain going.
    // After a downtime the missed ticks are not replayed one by one: the chain resumes from now.
    await enqueueNextTick(services.db as unknown as Kysely<unknown>, services.jobs, workflowId, workflow.definition, new Date(Math.max(tickAt.getTime(), Date.now())));
    const context = systemContext(tickAt);
    const filters: unknown[] = [];
    if (trigger.filter !== undefined) filters.push(trigger.filter);
    if (trigger.older_than) {
      const cutoff = new Date(tickAt.getTime() - trigger.older_than.days * UNIT_MS.days);
      const field = object.fieldsByName.get(trigger.older_than.field);
      const bound = field?.type.temporal === 'date' ? cutoff.toISOString().slice(0, 10) : cutoff.toISOString();
      filters.push({ '<': [{ var: trigger.older_than.field }, bound] });
    }
    const filter = filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { and: filters };
    let cursor: string | undefined;
    let ran = 0;
    let failed = 0;
    do {
      const page = await services.records.list(
        systemActor,
        object.name,
        { fields: ['id'], sort: 'id', limit: CRON_PAGE, ...(filter !== undefined ? { filter } : {}), ...(cursor ? { cursor } : {}) },
      );
      for (const { id } of page.data) {
        try {
          const outcome = await runAlone(services, async (trx) => {
            const record = await selectRowForUpdate(trx, object, id as string);
            if (!record || record.deleted_at !== null) return { outcome: 'skipped' };
            const data = workflowData(object, record, undefined, context);
            await services.runner.runScheduled({ trx, metadata, object, workflow, trigger: 'schedule', record, old: undefined, data, context, depth: 0, conditions: { tick, filter: filter ?? null } });
            return { outcome: 'ran' };
          });
          if (outcome.outcome === 'ran') ran += 1;
        } catch {
          // One record's failure is in the run log; the others still run.
          failed += 1;
        }
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return { outcome: 'ran', tick, records: ran, failed };
  };
}

/**
 * What saving a workflow sets up in the change's transaction: the round-robin counters of its
 * assign_owner actions, and the first tick of a cron workflow.
 */
export async function setUpWorkflow(trx: Transaction<SystemDatabase>, jobs: JobQueue, workflowId: string, definition: WorkflowDefinition): Promise<void> {
  const keys = definition.actions.flatMap((action, index) => (actionTypeOf(action).takesTurns?.(action) ? [actionKey(action, index)] : []));
  for (const key of keys) {
    // Metadata changes are serialised by their lock: nobody else inserts this row meanwhile.
    await sql`
      insert into crm_meta.workflow_counters (workflow_id, action, position)
      select ${workflowId}::uuid, ${key}, 0
      where not exists (select 1 from crm_meta.workflow_counters where workflow_id = ${workflowId}::uuid and action = ${key})`.execute(trx);
  }
  await enqueueNextTick(trx as unknown as Transaction<unknown>, jobs, workflowId, definition, new Date());
}

/** At start: every active cron workflow has its next tick queued (a no-op when it is already). */
export async function ensureCronChains(db: Kysely<SystemDatabase>, jobs: JobQueue, metadata: CompiledMetadata): Promise<void> {
  for (const object of metadata.objects()) {
    for (const workflow of object.activeWorkflows.scheduled) await enqueueNextTick(db as unknown as Kysely<unknown>, jobs, workflow.id, workflow.definition, new Date());
  }
}

export type { Row };
