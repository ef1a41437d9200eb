import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { validationError, type FieldIssue } from '../errors';
import { Slot } from '../records/prepared';
import type { Rider } from '../records/statements';
import type { Administration } from '../security/administration';

/** How a workflow run went, as the log keeps it. */
export interface WorkflowRunRow {
  readonly id: string;
  readonly workflowId: string | null;
  readonly objectId: string;
  readonly workflow: string;
  readonly recordId: string | null;
  readonly trigger: 'created' | 'updated' | 'deleted' | 'restored' | 'date' | 'schedule';
  readonly actorId: string;
  readonly depth: number;
  /** What was evaluated to decide the run fires: the event, changed fields, the condition. */
  readonly conditions: Record<string, unknown>;
  readonly actions: readonly ActionLog[];
  readonly outcome: 'completed' | 'failed';
  readonly error: Record<string, unknown> | null;
  readonly startedAt: string;
}

export interface ActionLog {
  readonly action: string;
  readonly type: string;
  readonly outcome: 'done' | 'skipped' | 'failed';
  readonly detail?: Record<string, unknown>;
}

/** A run as administrators read it (GET /api/workflow-runs). */
export interface WorkflowRun {
  readonly id: string;
  readonly object: string | null;
  readonly workflow: string;
  readonly record_id: string | null;
  readonly trigger: WorkflowRunRow['trigger'];
  readonly actor_id: string;
  readonly depth: number;
  readonly conditions: unknown;
  readonly actions: unknown;
  readonly outcome: WorkflowRunRow['outcome'];
  readonly error: unknown;
  readonly started_at: string;
  readonly finished_at: string;
}

export interface WorkflowRunQuery {
  readonly workflow?: string;
  readonly record?: string;
  readonly object?: string;
  /** 1-500, default 50. Newest first. */
  readonly limit?: number;
}

const MAX_LIMIT = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Writes runs in one statement (the write's transaction, or after its rollback for failed runs). */
export async function insertRuns(db: QueryExecutorProvider, runs: readonly WorkflowRunRow[]): Promise<void> {
  if (runs.length === 0) return;
  const rows = runs.map(
    (r) => sql`(${r.id}::uuid, ${r.workflowId}::uuid, ${r.objectId}::uuid, ${r.workflow}, ${r.recordId}::uuid, ${r.trigger}, ${r.actorId}::uuid, ${r.depth}::integer,
      ${JSON.stringify(r.conditions)}::jsonb, ${JSON.stringify(r.actions)}::jsonb, ${r.outcome}, ${r.error === null ? null : JSON.stringify(r.error)}::jsonb, ${r.startedAt}::timestamptz)`,
  );
  await sql`
    insert into crm_meta.workflow_runs (id, workflow_id, object_id, workflow, record_id, trigger, actor_id, depth, conditions, actions, outcome, error, started_at)
    values ${sql.join(rows)}`.execute(db);
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

/** Failed runs are logged after their transaction rolled back; one whose workflow went meanwhile points at none. */
export async function insertFailedRuns(db: QueryExecutorProvider, runs: readonly WorkflowRunRow[]): Promise<void> {
  if (runs.length === 0) return;
  const ids = [...new Set(runs.flatMap((r) => (r.workflowId ? [r.workflowId] : [])))];
  const existing = await sql<{ id: string }>`select id from crm_meta.workflows where id = any(${ids}::uuid[])`.execute(db);
  const live = new Set(existing.rows.map((r) => r.id));
  const objects = await sql<{ id: string }>`select id from crm_meta.objects where id = any(${[...new Set(runs.map((r) => r.objectId))]}::uuid[])`.execute(db);
  const liveObjects = new Set(objects.rows.map((r) => r.id));
  await insertRuns(
    db,
    runs.filter((r) => liveObjects.has(r.objectId)).map((r) => (r.workflowId !== null && live.has(r.workflowId) ? r : { ...r, workflowId: null })),
  );
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
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) issues.push({ path: 'limit', code: 'invalid', params: { reason: `must be 1 to ${MAX_LIMIT}` } });
    if (query.workflow !== undefined && !NAME.test(query.workflow)) issues.push({ path: 'workflow', code: 'invalid', params: { reason: 'is not a workflow name' } });
    if (query.object !== undefined && !NAME.test(query.object)) issues.push({ path: 'object', code: 'invalid', params: { reason: 'is not an object name' } });
    if (query.record !== undefined && !UUID.test(query.record)) issues.push({ path: 'record', code: 'type', params: { expected: 'a record id' } });
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
