import type { Kysely, Transaction } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, isCrmError, reason } from '../errors';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import { newId } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import { selectLiveRow, type Row } from '../records/statements';
import type { CreateDecision, RecordWriteEvent, RecordWriteHooks } from '../records/write-hooks';
import { truthy } from '../rules';
import { actionLabel, runAction, type ActionResult, type ActionServices, type LatestRow, type RunScope } from './actions';
import type { CompiledWorkflow } from './compile-workflows';
import { enqueueDelivery, type PendingDelivery } from './deliveries';
import { firingConditions, type ConditionCheck } from './fires';
import { planCreate } from './plan-create';
import { insertRuns, insertRunsAfterwards, type ActionLog, type WorkflowRunRow } from './run-log';
import { planDated } from './schedules';
import { MAX_WORKFLOW_DEPTH, workflowData } from './workflow-data';

export interface WorkflowRunnerOptions {
  /**
   * Plan create-triggered workflows before the insert where that gives exactly the same result
   * (plan-create.ts), default true; false runs every firing workflow after the insert, for
   * comparing the two and for diagnosis.
   */
  readonly planCreates?: boolean;
  /** Where run log rows go that could not be written (a failed run's, after its rollback); default: a process warning. */
  readonly onError?: (error: unknown) => void;
}

/**
 * What the workflow runs of one write collect until the end of its workflow processing: their
 * logs, and the deliveries they asked for. Runs of writes the runs make (one level deeper, in the
 * same transaction) join the batch of the write that started it all.
 */
interface RunBatch {
  readonly logs: WorkflowRunRow[];
  readonly deliveries: PendingDelivery[];
}

/** One run to carry out: a workflow that fired on a record. */
export interface FiredRun {
  readonly trx: Transaction<unknown>;
  readonly metadata: CompiledMetadata;
  readonly object: CompiledObject;
  readonly workflow: CompiledWorkflow;
  readonly trigger: WorkflowRunRow['trigger'];
  readonly record: Row;
  readonly old: Row | undefined;
  readonly data: Record<string, unknown>;
  readonly context: RuleContext;
  readonly depth: number;
  readonly conditions: Record<string, unknown>;
  /** Shared by the runs of one write (see LatestRow). */
  readonly latest: LatestRow;
}

/**
 * Runs workflows. As the record pipeline's hooks it decides, after every write of an object
 * that has workflows, which record-triggered workflows fire (events, changed fields, condition,
 * "becomes true") and runs their actions in the write's transaction, in name order; it plans
 * the date-relative ones. The scheduled runs (schedules.ts) use `runScheduled`. At the end of a
 * write's workflow processing, still in its transaction, the webhooks and email its runs asked
 * for are enqueued from the record as they all left it, and the runs are logged (one INSERT):
 * a run that changed a record leaves its log whenever the change commits. A failing action
 * fails the whole write with workflow_failed, and the failed run is logged after the rollback.
 */
export class WorkflowRunner implements RecordWriteHooks {
  /** Logs of failed runs travel with the error out of the rolled-back transaction. */
  readonly #failedRuns = new WeakMap<object, WorkflowRunRow[]>();
  /** The batch of the outermost write whose workflows a transaction is running (see RunBatch). */
  readonly #batches = new WeakMap<object, RunBatch>();

  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly services: ActionServices,
    private readonly options: WorkflowRunnerOptions = {},
  ) {}

  async afterWrite(trx: Transaction<unknown>, event: RecordWriteEvent): Promise<Row | boolean> {
    const { object } = event;
    const workflows = object.activeWorkflows;
    const candidates = workflows.onEvent[event.event];
    let data: Record<string, unknown> | undefined;
    const dataOf = () => (data ??= workflowData(object, event.after, event.before, event.context));
    const latest: LatestRow = { row: event.after, stale: false, touched: false };
    const holds = this.#holds(object);
    return this.#batched(trx, object, latest, async (batch) => {
      for (const workflow of candidates) {
        const conditions = firingConditions(workflow, event, dataOf, holds);
        if (!conditions) continue;
        await this.run(
          { trx, metadata: event.metadata, object, workflow, trigger: event.event, record: event.after, old: event.before, data: dataOf(), context: event.context, depth: event.depth, conditions, latest },
          batch,
        );
      }
      if (workflows.dated.length > 0) await planDated(trx, this.services.jobs, event, dataOf);
    });
  }

  /** A date or cron run in its own transaction: its deliveries and log are written in it at its end. */
  async runScheduled(fired: Omit<FiredRun, 'latest'>): Promise<void> {
    const latest: LatestRow = { row: fired.record, stale: false, touched: false };
    await this.#batched(fired.trx, fired.object, latest, (batch) => this.run({ ...fired, latest }, batch));
  }

  /**
   * Runs `work` as the workflow processing of one write on `latest`'s record. Nested in another
   * write's processing (a write its runs made), it joins that batch; outermost, it then enqueues
   * the batch's deliveries from the records as they now are and logs its runs. Resolves to the
   * record as it is now when known to have been written again, `true` when it must be read again,
   * else false (RecordWriteHooks.afterWrite).
   */
  async #batched(trx: Transaction<unknown>, object: CompiledObject, latest: LatestRow, work: (batch: RunBatch) => Promise<void>): Promise<Row | boolean> {
    const outer = this.#batches.get(trx);
    const batch: RunBatch = outer ?? { logs: [], deliveries: [] };
    if (!outer) this.#batches.set(trx, batch);
    try {
      await work(batch);
      const current = outer ? undefined : await this.#finish(trx, batch, object, latest);
      return current ?? (latest.stale ? true : latest.touched ? latest.row : false);
    } finally {
      if (!outer) this.#batches.delete(trx);
    }
  }

  /**
   * The end of a write's workflow processing: its deliveries enqueued from the records as every
   * run left them (read again where something else than the record's own updates may have
   * written them), then the log of its runs, all in the write's transaction. Returns the
   * triggering record when it was read again for a delivery.
   */
  async #finish(trx: Transaction<unknown>, batch: RunBatch, object: CompiledObject, latest: LatestRow): Promise<Row | undefined> {
    const rowKey = (o: CompiledObject, id: unknown) => `${o.name}:${String(id)}`;
    const rows = new Map<string, Row>();
    if (!latest.stale) rows.set(rowKey(object, latest.row.id), latest.row);
    const results = new Map<string, ActionResult>();
    for (const pending of batch.deliveries) {
      const { run } = pending;
      const key = rowKey(run.object, run.record.id);
      let row = rows.get(key);
      if (!row) {
        row = (await selectLiveRow(trx, run.object, run.record.id as string, run.object.columns, true)) ?? run.record;
        rows.set(key, row);
      }
      try {
        results.set(`${run.runId}:${pending.index}`, await enqueueDelivery(this.services.jobs, pending, row));
      } catch (cause) {
        throw this.#deliveryFailure(cause, pending, batch.logs);
      }
    }
    const logs = results.size === 0 ? batch.logs : batch.logs.map((log) => withResults(log, results));
    await insertRuns(trx, logs);
    return latest.stale ? rows.get(rowKey(object, latest.row.id)) : undefined;
  }

  /** A delivery that could not be enqueued fails its run like any action. */
  #deliveryFailure(cause: unknown, pending: PendingDelivery, logs: readonly WorkflowRunRow[]): CrmError {
    const { run, action, index } = pending;
    const error = this.#failure(cause, run.workflow, run.object, actionLabel(action, index));
    const completed = logs.find((log) => log.id === run.runId);
    if (completed) {
      const actions = completed.actions.map((log, i): ActionLog => (i === index ? { action: log.action, type: log.type, outcome: 'failed', detail: { error: error.code } } : log));
      this.#remember(error, { ...completed, actions, outcome: 'failed', error: causeJson(cause) }, cause);
    }
    return error;
  }

  beforeCreate(metadata: CompiledMetadata, object: CompiledObject, prepared: Row, context: RuleContext, depth: number): CreateDecision {
    const decision = planCreate(metadata, object, prepared, context, depth);
    return decision.kind === 'planned' && this.options.planCreates === false ? { kind: 'after_write' } : decision;
  }

  async afterRollback(error: unknown): Promise<void> {
    const runs = error !== null && typeof error === 'object' ? this.#failedRuns.get(error) : undefined;
    if (runs?.length) await insertRunsAfterwards(this.db, runs).catch(this.options.onError ?? warnUnwritten);
  }

  /**
   * Carries out a fired run's actions in order; adds its log and the deliveries it asks for to the
   * batch (written at the end of the write's workflow processing, in its transaction). A failure
   * becomes workflow_failed naming the workflow and action (one raised deeper, by a workflow this
   * run triggered, passes through as it is) and carries the failed runs' logs to afterRollback.
   */
  async run(fired: FiredRun, batch: RunBatch): Promise<void> {
    const { workflow, object } = fired;
    const startedAt = new Date().toISOString();
    const runId = newId();
    const row = (actions: ActionLog[], outcome: WorkflowRunRow['outcome'], error: WorkflowRunRow['error']): WorkflowRunRow => ({
      id: runId,
      workflowId: workflow.id,
      objectId: object.id,
      workflow: workflow.name,
      recordId: (fired.record.id as string | undefined) ?? null,
      trigger: fired.trigger,
      actorId: fired.context.user.id,
      depth: fired.depth,
      conditions: fired.conditions,
      actions,
      outcome,
      error,
      startedAt,
    });
    const actionLogs: ActionLog[] = [];
    if (fired.depth >= MAX_WORKFLOW_DEPTH) {
      const error = new CrmError('workflow_depth_exceeded', { max: MAX_WORKFLOW_DEPTH, workflow: workflow.name, object: object.name });
      this.#remember(error, row(actionLogs, 'failed', error.toJSON()));
      throw error;
    }
    const scope: RunScope = { ...fired, runId, deliveries: batch.deliveries };
    for (const [index, action] of workflow.definition.actions.entries()) {
      const label = actionLabel(action, index);
      try {
        const result = await runAction(action, index, scope, this.services);
        actionLogs.push({ action: label, type: action.type, outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) });
      } catch (cause) {
        const error = this.#failure(cause, workflow, object, label);
        actionLogs.push({ action: label, type: action.type, outcome: 'failed', detail: { error: error.code } });
        this.#remember(error, row(actionLogs, 'failed', causeJson(cause)), cause);
        throw error;
      }
    }
    batch.logs.push(row(actionLogs, 'completed', null));
  }

  /** The run's failure: deeper workflow failures as they are, anything else as workflow_failed. */
  #failure(cause: unknown, workflow: CompiledWorkflow, object: CompiledObject, action: string): CrmError {
    if (isCrmError(cause, 'workflow_failed') || isCrmError(cause, 'workflow_depth_exceeded')) return cause;
    const inner = isCrmError(cause) ? cause : undefined;
    const message = inner ? { en: inner.messageIn('en'), 'zh-CN': inner.messageIn('zh-CN') } : { en: String((cause as Error)?.message ?? cause), 'zh-CN': String((cause as Error)?.message ?? cause) };
    return new CrmError(
      'workflow_failed',
      { workflow: workflow.name, object: object.name, action, cause: inner?.code ?? 'internal' },
      [{ path: 'action', code: 'invalid', params: { reason: reason('cause_message', { text: message }) }, message }],
      { cause },
    );
  }

  /** Keeps failed runs' logs with the error (and with the error it was made from, when wrapped). */
  #remember(error: CrmError, run: WorkflowRunRow, cause?: unknown): void {
    const inner = cause !== null && typeof cause === 'object' ? (this.#failedRuns.get(cause) ?? []) : [];
    const mine = this.#failedRuns.get(error) ?? [];
    this.#failedRuns.set(error, [...(error === cause ? mine : [...inner, ...mine]), run]);
  }

  /** A condition that throws fails the write, naming the workflow (never silently skipped). */
  #holds(object: CompiledObject): ConditionCheck {
    return (workflow, data, what) => {
      try {
        return truthy(workflow.condition(data));
      } catch (cause) {
        throw this.#failure(cause, workflow, object, `trigger ${what}`);
      }
    };
  }
}

/** A run's log with the outcome of its deliveries, enqueued after its actions ran. */
function withResults(log: WorkflowRunRow, results: ReadonlyMap<string, ActionResult>): WorkflowRunRow {
  if (!log.actions.some((_, i) => results.has(`${log.id}:${i}`))) return log;
  const actions = log.actions.map((entry, i): ActionLog => {
    const result = results.get(`${log.id}:${i}`);
    return result ? { action: entry.action, type: entry.type, outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) } : entry;
  });
  return { ...log, actions };
}

function causeJson(cause: unknown): Record<string, unknown> {
  return isCrmError(cause) ? cause.toJSON() : { code: 'internal', message: String((cause as Error)?.message ?? cause) };
}

function warnUnwritten(error: unknown): void {
  process.emitWarning(`workflow run log not written: ${String((error as Error)?.message ?? error)}`);
}
