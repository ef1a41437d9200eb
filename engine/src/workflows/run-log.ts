import { CompiledQuery, sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import { registerNamedStatement } from '../db/named-statements';
import type { Actor } from '../actors';
import type { ActionLog, WorkflowRun, WorkflowRunOutcome, WorkflowRunTrigger } from '../core/workflow-run-types';
import { isPgError, PG } from '../db/pg-errors';
import type { SystemDatabase } from '../db/system-tables';
import { validationError, type FieldIssue } from '../errors';
import { Slot } from '../records/prepared';
import type { Rider } from '../records/statements';
import type { Administration } from '../security/administration';
import { isUuid } from '../metadata/ids';
import { reason } from '../errors';

/** How a workflow run went, as the log keeps it. */
export interface WorkflowRunRow {
  readonly id: string;
  readonly workflowId: string | null;
  readonly objectId: string;
  readonly workflow: string;
  readonly recordId: string | null;
  readonly trigger: WorkflowRunTrigger;
  readonly actorId: string;
  readonly depth: number;
  /** What was evaluated to decide the run fires: the event, changed fields, the condition. */
  readonly conditions: Record<string, unknown>;
  readonly actions: readonly ActionLog[];
  readonly outcome: WorkflowRunOutcome;
  readonly error: Record<string, unknown> | null;
  readonly startedAt: string;
}

export type { ActionLog, WorkflowRun };

export interface WorkflowRunQuery {
  readonly workflow?: string;
  readonly record?: string;
  readonly object?: string;
  /** 1-500, default 50. Newest first. */
  readonly limit?: number;
}

const MAX_LIMIT = 500;
const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Statement texts of insertRuns by number of runs (nearly always one to three). */
const runInserts = new Map<number, string>();
const MAX_RUN_INSERT_SHAPES = 20;

/**
 * Writes the runs of a write in its transaction, in one statement: the statement of runLogRider
 * on its own, its text built once per number of runs (a prepared statement on PostgreSQL).
 */
export async function insertRuns(db: QueryExecutorProvider, runs: readonly WorkflowRunRow[]): Promise<void> {
  if (runs.length === 0) return;
  const rider = runLogRider(runs);
  let text = runInserts.get(runs.length);
  if (!text) {
    text = rider.build(0).compile(db).sql;
    if (runs.length <= MAX_RUN_INSERT_SHAPES) {
      registerNamedStatement(text);
      runInserts.set(runs.length, text);
    }
  }
  await (db as unknown as Kysely<unknown>).executeQuery(CompiledQuery.raw(text, [...rider.values]));
}

/**
 * The same rows as a rider of a record's INSERT (runs planned before a create): a statement shape
 * per number of runs (one or two, nearly always).
 */
export function runLogRider(runs: readonly WorkflowRunRow[]): Rider {
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  return {
    key: `workflow_runs:${runs.length}`,
    build: (first) => {
      const rows = runs.map((_, i) => {
        const s = (offset: number, type: string) => sql`${new Slot(first + i * 13 + offset)}::${sql.raw(type)}`;
        return sql`(${s(0, 'uuid')}, ${s(1, 'uuid')}, ${s(2, 'uuid')}, ${s(3, 'text')}, ${s(4, 'uuid')}, ${s(5, 'text')}, ${s(6, 'uuid')},
          ${s(7, 'integer')}, ${s(8, 'jsonb')}, ${s(9, 'jsonb')}, ${s(10, 'text')}, ${s(11, 'jsonb')}, ${s(12, 'timestamptz')})`;
      });
      return sql`
        insert into crm_meta.workflow_runs (id, workflow_id, object_id, workflow, record_id, trigger, actor_id, depth, conditions, actions, outcome, error, started_at)
        values ${sql.join(rows)}`;
    },
    values: runs.flatMap((r) => [r.id, r.workflowId, r.objectId, r.workflow, r.recordId, r.trigger, r.actorId, r.depth, json(r.conditions), json(r.actions), r.outcome, json(r.error), r.startedAt]),
  };
}

/**
 * Logs failed runs after their transaction rolled back, any number in one statement of one
 * shape. Should a workflow or object have been deleted meanwhile (the foreign keys refuse the
 * rows), its runs are written again pointing at no workflow, or dropped with their object.
 */
export async function insertRunsAfterwards(db: QueryExecutorProvider, runs: readonly WorkflowRunRow[]): Promise<void> {
  if (runs.length === 0) return;
  // The batch travels as one JSON document, read by jsonb_to_recordset: one parameter to encode
  // and decode, however many runs.
  const batch = JSON.stringify(
    runs.map((r) => ({
      id: r.id,
      workflow_id: r.workflowId,
      object_id: r.objectId,
      workflow: r.workflow,
      record_id: r.recordId,
      trigger: r.trigger,
      actor_id: r.actorId,
      depth: r.depth,
      conditions: r.conditions,
      actions: r.actions,
      outcome: r.outcome,
      error: r.error,
      started_at: r.startedAt,
    })),
  );
  const rows = sql`
    jsonb_to_recordset(${batch}::jsonb) as r (id uuid, workflow_id uuid, object_id uuid, workflow text, record_id uuid, trigger text, actor_id uuid,
      depth integer, conditions jsonb, actions jsonb, outcome text, error jsonb, started_at timestamptz)`;
  const into = sql`insert into crm_meta.workflow_runs (id, workflow_id, object_id, workflow, record_id, trigger, actor_id, depth, conditions, actions, outcome, error, started_at)`;
  try {
    await sql`${into} select * from ${rows}`.execute(db);
  } catch (error) {
    if (!isPgError(error, PG.foreignKeyViolation)) throw error;
    await sql`
      ${into}
      select r.id, w.id, r.object_id, r.workflow, r.record_id, r.trigger, r.actor_id, r.depth, r.conditions, r.actions, r.outcome, r.error, r.started_at
      from ${rows} join crm_meta.objects o on o.id = r.object_id left join crm_meta.workflows w on w.id = r.workflow_id`.execute(db);
  }
}

/** The run log for administrators: newest first, by workflow name, record or object. */
export class WorkflowRunLog {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly administration: Administration,
  ) {}

  async list(actor: Actor, query: WorkflowRunQuery = {}): Promise<WorkflowRun[]> {
    await this.administration.requireAdmin(actor, 'workflow runs');
    const limit = query.limit ?? 50;
    const issues: FieldIssue[] = [];
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) issues.push({ path: 'limit', code: 'invalid', params: { reason: reason('must_be_range', { min: 1, max: MAX_LIMIT }) } });
    if (query.workflow !== undefined && !NAME.test(query.workflow)) issues.push({ path: 'workflow', code: 'invalid', params: { reason: reason('not_workflow_name') } });
    if (query.object !== undefined && !NAME.test(query.object)) issues.push({ path: 'object', code: 'invalid', params: { reason: reason('not_object_name') } });
    if (query.record !== undefined && !isUuid(query.record)) issues.push({ path: 'record', code: 'type', params: { expected: 'a record id' } });
    if (issues.length) throw validationError(issues);
    let select = this.db
      .selectFrom('crm_meta.workflow_runs as r')
      .leftJoin('crm_meta.objects as o', 'o.id', 'r.object_id')
      .select(['r.id', 'o.name as object', 'r.workflow', 'r.record_id', 'r.trigger', 'r.actor_id', 'r.depth', 'r.conditions', 'r.actions', 'r.outcome', 'r.error', 'r.started_at', 'r.finished_at']);
    if (query.workflow !== undefined) select = select.where('r.workflow', '=', query.workflow);
    if (query.record !== undefined) select = select.where('r.record_id', '=', query.record.toLowerCase());
    if (query.object !== undefined) select = select.where('o.name', '=', query.object);
    const rows = await select.orderBy('r.started_at', 'desc').orderBy('r.id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ ...r, object: r.object ?? null })) as WorkflowRun[];
  }
}
