import { sql } from 'kysely';
import type { ClaimedJob, JobBackend, NewJob } from './backend';
import type { EnqueuedJob, Job, JobConnection, JobDatabase, JobQuery, JobState, JsonObject } from './types';

/** Finished jobs are kept this long for administrators, then deleted; dead ones stay until retried. */
const KEEP_DONE_DAYS = 14;
const UPKEEP_INTERVAL_MS = 60 * 60 * 1000;

interface JobRow {
  id: string;
  task: string;
  state: JobState;
  key: string | null;
  payload: JsonObject;
  attempts: number;
  max_attempts: number;
  run_at: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  last_error: string | null;
  output: unknown;
}

const JOB_COLUMNS = sql`id, task, state, key, payload, attempts, max_attempts, run_at, created_at, started_at, completed_at, last_error, output`;

/**
 * The in-process queue of PGlite: jobs in `crm_meta.jobs` (migration 0007). PGlite is one
 * process with one connection, so this process's worker is the only one: a job still marked
 * running when the worker starts was cut off by the previous process and is failed (and so
 * retried) then. Statements queue on the connection lock like every other; a claim never runs
 * inside someone's open transaction.
 */
export class TableBackend implements JobBackend {
  readonly implementation = 'in-process' as const;
  #upkeep: NodeJS.Timeout | undefined;

  constructor(private readonly db: JobDatabase) {}

  async addTask(): Promise<void> {}

  async insert(db: JobConnection, job: NewJob): Promise<EnqueuedJob> {
    if (job.key !== null) {
      // Read then insert: on PGlite the caller's transaction holds the only connection, so no
      // other insert can come between (and `on conflict` is avoided there, see DESIGN.md).
      const existing = await sql<{ id: string }>`select id from crm_meta.jobs where key = ${job.key}`.execute(db);
      if (existing.rows[0]) return { id: existing.rows[0].id, duplicate: true };
    }
    await sql`
      insert into crm_meta.jobs (id, task, payload, key, max_attempts, run_at)
      values (${job.id}::uuid, ${job.task}, ${JSON.stringify(job.payload)}::jsonb, ${job.key}, ${job.maxAttempts},
              coalesce(${job.runAt?.toISOString() ?? null}::timestamptz, now()))`.execute(db);
    return { id: job.id, duplicate: false };
  }

  async claim(tasks: readonly string[], limit: number): Promise<ClaimedJob[]> {
    const claimed = await sql<{ id: string; task: string; payload: JsonObject; key: string | null; attempts: number; max_attempts: number }>`
      update crm_meta.jobs j set state = 'running', attempts = j.attempts + 1, started_at = now()
      from (
        select id from crm_meta.jobs
        where state in ('queued', 'failed') and run_at <= now() and task = any(${[...tasks]}::text[])
        order by run_at, id
        limit ${limit}
        for update skip locked
      ) due
      where j.id = due.id
      returning j.id, j.task, j.payload, j.key, j.attempts, j.max_attempts`.execute(this.db);
    return claimed.rows.map((row) => ({ id: row.id, task: row.task, payload: row.payload, key: row.key, attempt: row.attempts, maxAttempts: row.max_attempts }));
  }

  async complete(job: ClaimedJob, output: JsonObject): Promise<void> {
    await sql`
      update crm_meta.jobs set state = 'done', completed_at = now(), output = ${JSON.stringify(output)}::jsonb, last_error = null
      where id = ${job.id}::uuid and state = 'running'`.execute(this.db);
  }

  async fail(job: ClaimedJob, error: string, retryDelayMs: number): Promise<void> {
    await sql`
      update crm_meta.jobs set
        state = case when attempts < max_attempts then 'failed' else 'dead' end,
        run_at = case when attempts < max_attempts then now() + ${retryDelayMs} * interval '1 millisecond' else run_at end,
        completed_at = case when attempts < max_attempts then null else now() end,
        last_error = ${error}
      where id = ${job.id}::uuid and state = 'running'`.execute(this.db);
  }

  async start(): Promise<void> {
    await sql`
      update crm_meta.jobs set
        state = case when attempts < max_attempts then 'failed' else 'dead' end,
        completed_at = case when attempts < max_attempts then null else now() end,
        last_error = 'interrupted: the process stopped while the job ran'
      where state = 'running'`.execute(this.db);
    await this.#deleteOldJobs();
    this.#upkeep = setInterval(() => void this.#deleteOldJobs().catch(() => {}), UPKEEP_INTERVAL_MS);
    this.#upkeep.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#upkeep);
    this.#upkeep = undefined;
  }

  async #deleteOldJobs(): Promise<void> {
    await sql`delete from crm_meta.jobs where state = 'done' and completed_at < now() - ${KEEP_DONE_DAYS} * interval '1 day'`.execute(this.db);
  }

  async list(query: JobQuery & { readonly limit: number }): Promise<Job[]> {
    const rows = await sql<JobRow>`
      select ${JOB_COLUMNS} from crm_meta.jobs
      where true
        ${query.state ? sql`and state = ${query.state}` : sql``}
        ${query.task ? sql`and task = ${query.task}` : sql``}
      order by created_at desc, id desc
      limit ${query.limit}`.execute(this.db);
    return rows.rows.map(toJob);
  }

  async get(id: string): Promise<Job | undefined> {
    const rows = await sql<JobRow>`select ${JOB_COLUMNS} from crm_meta.jobs where id = ${id}::uuid`.execute(this.db);
    return rows.rows[0] ? toJob(rows.rows[0]) : undefined;
  }

  async retry(id: string): Promise<{ retried: boolean; job: Job } | undefined> {
    const retried = await sql<JobRow>`
      update crm_meta.jobs set state = 'queued', max_attempts = attempts + 1, run_at = now(), completed_at = null
      where id = ${id}::uuid and state = 'dead'
      returning ${JOB_COLUMNS}`.execute(this.db);
    if (retried.rows[0]) return { retried: true, job: toJob(retried.rows[0]) };
    const job = await this.get(id);
    return job ? { retried: false, job } : undefined;
  }
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    task: row.task,
    state: row.state,
    key: row.key,
    payload: row.payload,
    attempts: row.attempts,
    max_attempts: row.max_attempts,
    run_at: row.run_at,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    // Kept after an administrator's retry too (until the job succeeds): it is why it was retried.
    last_error: row.state === 'done' ? null : row.last_error,
    output: row.state === 'done' ? row.output : null,
  };
}
