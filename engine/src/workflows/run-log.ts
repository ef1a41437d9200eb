import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { Actor } from '../actors';
import { asPgError, PG } from '../db/pg-errors';
import type { SystemDatabase } from '../db/system-tables';
import { validationError, type FieldIssue } from '../errors';
import { Slot } from '../records/prepared';
import type { Rider } from '../records/statements';
import type { Administration } from '../security/administration';
import { isUuid } from '../metadata/ids';

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

/**
 * Logs runs outside the transaction that ran them (failed runs after its rollback, runs of writes
 * that owned their transaction after its commit), any number in one statement of one shape. Should a workflow or object have been deleted meanwhile (the foreign
 * keys refuse the rows), its runs are written again pointing at no workflow, or dropped with
 * their object.
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
    if (asPgError(error)?.code !== PG.foreignKeyViolation) throw error;
    await sql`
      ${into}
      select r.id, w.id, r.object_id, r.workflow, r.record_id, r.trigger, r.actor_id, r.depth, r.conditions, r.actions, r.outcome, r.error, r.started_at
      from ${rows} join crm_meta.objects o on o.id = r.object_id left join crm_meta.workflows w on w.id = r.workflow_id`.execute(db);
  }
}

/**
 * Writes the runs of planned creates (plan-create.ts) just after their insert: in batches, one
 * statement for up to 500 runs, at most 100 ms later. Putting the log row into each create's own
 * statement cost more than the rest of what the workflows did (measured by `pnpm bench
 * workflows`). The price: a process killed in those 100 ms loses those log rows (never the records,
 * notifications or jobs the runs made). Reading the log writes what is waiting first.
 */
export class RunLogWriter {
  #pending: WorkflowRunRow[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly onError: (error: unknown) => void,
    private readonly delayMs = 100,
    private readonly batch = 500,
  ) {}

  add(runs: readonly WorkflowRunRow[]): void {
    this.#pending.push(...runs);
    if (this.#pending.length >= this.batch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.delayMs).unref();
  }

  /** Writes every run added so far; resolves once they are stored (or reported as lost). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const runs = this.#pending;
    this.#pending = [];
    this.#writing = this.#writing.then(async () => {
      for (let i = 0; i < runs.length; i += this.batch) {
        await insertRunsAfterwards(this.db, runs.slice(i, i + this.batch)).catch((error: unknown) => this.onError(error));
      }
    });
    return this.#writing;
  }
}

/** The run log for administrators: newest first, by workflow name, record or object. */
export class WorkflowRunLog {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly administration: Administration,
    private readonly writer?: RunLogWriter,
  ) {}

  async list(actor: Actor, query: WorkflowRunQuery = {}): Promise<WorkflowRun[]> {
    await this.administration.requireAdmin(actor, 'workflow runs');
    await this.writer?.flush();
    const limit = query.limit ?? 50;
    const issues: FieldIssue[] = [];
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) issues.push({ path: 'limit', code: 'invalid', params: { reason: `must be 1 to ${MAX_LIMIT}` } });
    if (query.workflow !== undefined && !NAME.test(query.workflow)) issues.push({ path: 'workflow', code: 'invalid', params: { reason: 'is not a workflow name' } });
    if (query.object !== undefined && !NAME.test(query.object)) issues.push({ path: 'object', code: 'invalid', params: { reason: 'is not an object name' } });
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
