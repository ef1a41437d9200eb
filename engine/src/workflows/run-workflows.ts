import type { Kysely, Transaction } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, isCrmError } from '../errors';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import { newId } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import type { Row } from '../records/statements';
import type { CreateDecision, RecordWriteEvent, RecordWriteHooks } from '../records/write-hooks';
import { truthy } from '../rules';
import { actionLabel, runAction, type ActionServices, type LatestRow, type RunScope } from './actions';
import type { CompiledWorkflow } from './compile-workflows';
import { firingConditions, type ConditionCheck } from './fires';
import { planCreate } from './plan-create';
import { insertRuns, insertRunsAfterwards, type ActionLog, type RunLogWriter, type WorkflowRunRow } from './run-log';
import { planDated } from './schedules';
import { MAX_WORKFLOW_DEPTH, workflowData } from './workflow-data';

export interface WorkflowRunnerOptions {
  /**
   * Plan create-triggered workflows before the insert where that gives exactly the same result
   * (plan-create.ts), default true; false runs every firing workflow after the insert, for
   * comparing the two and for diagnosis.
   */
  readonly planCreates?: boolean;
  /** Where errors of background work go (run log rows that could not be written); default: a process warning. */
  readonly onError?: (error: unknown) => void;
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
  /** Shared by the runs of one write (see LatestRow); a run on its own gets its own. */
  readonly latest?: LatestRow;
}

/**
 * Runs workflows. As the record pipeline's hooks it decides, after every write of an object
 * that has workflows, which record-triggered workflows fire (events, changed fields, condition,
 * "becomes true") and runs their actions in the write's transaction, in name order; it plans
 * the date-relative ones. The scheduled runs (schedules.ts, cron.ts) use `run` too. Each run
 * that fired is logged; a failing action fails the whole write with workflow_failed, and the
 * failed run is logged after the rollback.
 */
export class WorkflowRunner implements RecordWriteHooks {
  /** Logs of failed runs travel with the error out of the rolled-back transaction. */
  readonly #failedRuns = new WeakMap<object, WorkflowRunRow[]>();

  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly services: ActionServices,
    private readonly runLog: RunLogWriter,
    private readonly options: WorkflowRunnerOptions = {},
  ) {}

  async afterWrite(trx: Transaction<unknown>, event: RecordWriteEvent): Promise<Row | boolean> {
    const { object } = event;
    const workflows = object.activeWorkflows;
    const candidates = workflows.onEvent[event.event];
    let data: Record<string, unknown> | undefined;
    const dataOf = () => (data ??= workflowData(object, event.after, event.before, event.context));
    const latest: LatestRow = { row: event.after, stale: false, touched: false };
    const logs: WorkflowRunRow[] = [];
    const holds = this.#holds(object);
    for (const workflow of candidates) {
      const conditions = firingConditions(workflow, event, dataOf, holds);
      if (!conditions) continue;
      await this.run(
        { trx, metadata: event.metadata, object, workflow, trigger: event.event, record: event.after, old: event.before, data: dataOf(), context: event.context, depth: event.depth, conditions, latest },
        logs,
      );
    }
    if (workflows.dated.length > 0) await planDated(trx, this.services.jobs, event, dataOf);
    // The log of a write that owns its transaction is written just after its commit (RunLogWriter).
    if (logs.length > 0 && event.afterCommit) event.afterCommit(() => this.runLog.add(logs));
    else await insertRuns(trx, logs);
    // The record as it is now: known when only its own updates wrote it, else read again by the caller.
    return latest.stale ? true : latest.touched ? latest.row : false;
  }

  beforeCreate(metadata: CompiledMetadata, object: CompiledObject, prepared: Row, context: RuleContext, depth: number): CreateDecision {
    const decision = planCreate(metadata, object, prepared, context, depth, this.runLog);
    return decision.kind === 'planned' && this.options.planCreates === false ? { kind: 'after_write' } : decision;
  }

  async afterRollback(error: unknown): Promise<void> {
    const runs = error !== null && typeof error === 'object' ? this.#failedRuns.get(error) : undefined;
    if (runs?.length) await insertRunsAfterwards(this.db, runs);
  }

  /**
   * Carries out a fired run's actions in order; adds its log to `logs` (written by the caller in
   * the same transaction). A failure becomes workflow_failed naming the workflow and action (one
   * raised deeper, by a workflow this run triggered, passes through as it is) and carries the
   * failed runs' logs to afterRollback.
   */
  async run(fired: FiredRun, logs: WorkflowRunRow[]): Promise<void> {
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
    const scope: RunScope = { ...fired, runId, latest: fired.latest ?? { row: fired.record, stale: false, touched: false } };
    for (const [index, action] of workflow.definition.actions.entries()) {
      const label = actionLabel(action, index);
      try {
        const result = await runAction(action, index, scope, this.services);
        actionLogs.push({ action: label, type: action.type, outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) });
      } catch (cause) {
        const error = this.#failure(cause, workflow, object, label);
        actionLogs.push({ action: label, type: action.type, outcome: 'failed', detail: { error: error.code } });
        this.#remember(error, row(actionLogs, 'failed', isCrmError(cause) ? cause.toJSON() : { code: 'internal', message: String((cause as Error)?.message ?? cause) }), cause);
        throw error;
      }
    }
    logs.push(row(actionLogs, 'completed', null));
  }

  /** The run's failure: deeper workflow failures as they are, anything else as workflow_failed. */
  #failure(cause: unknown, workflow: CompiledWorkflow, object: CompiledObject, action: string): CrmError {
    if (isCrmError(cause, 'workflow_failed') || isCrmError(cause, 'workflow_depth_exceeded')) return cause;
    const inner = isCrmError(cause) ? cause : undefined;
    const message = inner ? { en: inner.messageIn('en'), 'zh-CN': inner.messageIn('zh-CN') } : { en: String((cause as Error)?.message ?? cause), 'zh-CN': String((cause as Error)?.message ?? cause) };
    return new CrmError(
      'workflow_failed',
      { workflow: workflow.name, object: object.name, action, cause: inner?.code ?? 'internal' },
      [{ path: 'action', code: 'invalid', params: { reason: message.en }, message }],
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
