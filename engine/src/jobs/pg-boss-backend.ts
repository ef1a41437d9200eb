import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { ClaimedJob, JobBackend, NewJob } from './backend';
import type { EnqueuedJob, Job, JobConnection, JobDatabase, JobQuery, JobState, JsonObject } from './types';

/** Where pg-boss keeps its tables (it installs and migrates them itself, see install()). */
export const PG_BOSS_SCHEMA = 'pgboss';

const DAY_SECONDS = 24 * 60 * 60;
/** Finished jobs stay listable this long (as on PGlite), then move to pg-boss's archive for a day. */
const KEEP_DONE_SECONDS = 14 * DAY_SECONDS;
/** Dead jobs stay until an administrator retries them (pg-boss wants a number: ten years). */
const KEEP_DEAD_SECONDS = 3650 * DAY_SECONDS;

type PgBossState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** Our states in pg-boss's words. pg-boss calls a dead job `failed`, and a failed one waiting for its retry `retry`. */
const PG_BOSS_STATES: Readonly<Record<JobState, readonly PgBossState[]>> = {
  queued: ['created'],
  running: ['active'],
  done: ['completed'],
  failed: ['retry'],
  dead: ['failed', 'cancelled'],
};

function stateOf(state: PgBossState): JobState {
  return (Object.keys(PG_BOSS_STATES) as JobState[]).find((ours) => PG_BOSS_STATES[ours].includes(state)) ?? 'dead';
}

/** pg-boss runs its SQL through this: on our pool, or on the caller's transaction (`{ db }` options). */
function executorOn(db: JobConnection): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      // Without values pg uses the simple protocol, which pg-boss's multi-statement installs need.
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as never[] };
    },
  };
}

interface PgBossRow {
  id: string;
  name: string;
  state: PgBossState;
  singleton_key: string | null;
  data: JsonObject;
  retry_count: number;
  retry_limit: number;
  start_after: string;
  created_on: string;
  started_on: string | null;
  completed_on: string | null;
  output: { message?: unknown } | null;
}

const COLUMNS = sql`id, name, state::text as state, singleton_key, data, retry_count, retry_limit, start_after, created_on, started_on, completed_on, output`;

function toJob(row: PgBossRow): Job {
  const state = stateOf(row.state);
  const failure = state !== 'done' && row.output && typeof row.output.message === 'string' ? row.output.message : null;
  return {
    id: row.id,
    task: row.name,
    state,
    key: row.singleton_key,
    payload: row.data,
    // pg-boss counts retries, and only from the second start on.
    attempts: row.started_on === null ? 0 : row.retry_count + 1,
    max_attempts: row.retry_limit + 1,
    run_at: row.start_after,
    created_at: row.created_on,
    started_at: row.started_on,
    completed_at: state === 'done' || state === 'dead' ? row.completed_on : null,
    last_error: failure,
    output: state === 'done' ? row.output : null,
  };
}

/**
 * The PostgreSQL queue: pg-boss 10 (the last release that supports Node 20), one pg-boss queue
 * per task, on the engine's own connection pool. Jobs are inserted with `send(..., { db })` on
 * the caller's transaction, claimed with pg-boss's `FOR UPDATE SKIP LOCKED` fetch (so any number
 * of server processes share the work), completed with their output in one statement, and
 * pg-boss's maintenance fails jobs whose worker vanished (`expire_in`) so they are retried.
 *
 * Back-off is the queue's (the same function as on PGlite, with millisecond precision and a
 * cap): jobs are sent without pg-boss's own retry delay, and a failed attempt's next start is set
 * in the transaction that fails it. That, and relabelling an administrator's retry as waiting
 * (pg-boss 10 leaves it in `retry`), are the two statements here that write pg-boss's table.
 */
export class PgBossBackend implements JobBackend {
  readonly implementation = 'pg-boss' as const;
  /** Sends, fetches and completes; never started, so it runs no timers. */
  readonly #client: PgBoss;
  /** Runs pg-boss's maintenance while this process's worker runs. */
  #maintainer: PgBoss | undefined;
  readonly #queues = new Map<string, Promise<void>>();
  #nextTask = 0;

  private constructor(
    private readonly db: JobDatabase,
    private readonly report: (error: unknown) => void,
  ) {
    this.#client = new PgBoss({ db: executorOn(db), schema: PG_BOSS_SCHEMA, migrate: false, schedule: false, supervise: false });
    // pg-boss is an EventEmitter: an 'error' nobody listens to would crash the process.
    this.#client.on('error', report);
  }

  /** Installs or migrates pg-boss's schema (once per database, whoever starts first), then opens the backend. */
  static async open(db: JobDatabase, report: (error: unknown) => void): Promise<PgBossBackend> {
    await install(db);
    return new PgBossBackend(db, report);
  }

  addTask(task: string): Promise<void> {
    let created = this.#queues.get(task);
    if (!created) {
      // create_queue is idempotent (`on conflict do nothing` on the queue's name).
      created = this.#client.createQueue(task, { name: task, policy: 'standard' });
      created.catch(() => this.#queues.delete(task));
      this.#queues.set(task, created);
    }
    return created;
  }

  async insert(db: JobConnection, job: NewJob): Promise<EnqueuedJob> {
    if (job.key !== null) {
      // A concurrent transaction with the same key makes this wait; when it commits, nothing is
      // inserted here and its job is the one returned.
      const claimed = await sql<{ job_id: string }>`
        insert into crm_meta.job_keys (key, job_id) values (${job.key}, ${job.id}::uuid)
        on conflict (key) do nothing returning job_id`.execute(db);
      if (!claimed.rows[0]) {
        const existing = await sql<{ job_id: string }>`select job_id from crm_meta.job_keys where key = ${job.key}`.execute(db);
        return { id: existing.rows[0]!.job_id, duplicate: true };
      }
    }
    const id = await this.#client.send(job.task, job.payload, {
      id: job.id,
      db: executorOn(db),
      ...(job.runAt ? { startAfter: job.runAt } : {}),
      ...(job.key !== null ? { singletonKey: job.key } : {}),
      retryLimit: job.maxAttempts - 1,
      retryDelay: 0,
      retryBackoff: false,
      expireInSeconds: job.expireSeconds,
      retentionSeconds: KEEP_DEAD_SECONDS,
    });
    if (id === null) throw new Error(`pg-boss has no queue "${job.task}": register the task before enqueueing it`);
    return { id, duplicate: false };
  }

  async claim(tasks: readonly string[], limit: number): Promise<ClaimedJob[]> {
    const claimed: ClaimedJob[] = [];
    // Start with a different task each time, so a busy task cannot starve the others.
    const start = this.#nextTask++ % Math.max(tasks.length, 1);
    const order = [...tasks.slice(start), ...tasks.slice(0, start)];
    for (const task of order) {
      if (claimed.length >= limit) break;
      const jobs = await this.#client.fetch<JsonObject>(task, { batchSize: limit - claimed.length, includeMetadata: true });
      for (const job of jobs) {
        claimed.push({ id: job.id, task, payload: job.data, key: job.singletonKey ?? null, attempt: job.retryCount + 1, maxAttempts: job.retryLimit + 1 });
      }
    }
    return claimed;
  }

  async complete(job: ClaimedJob, output: JsonObject): Promise<void> {
    await this.#client.complete(job.task, job.id, output);
  }

  async fail(job: ClaimedJob, error: string, retryDelayMs: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.#client.fail(job.task, job.id, { message: error }, { db: executorOn(trx) });
      await sql`
        update pgboss.job set start_after = now() + ${retryDelayMs} * interval '1 millisecond'
        where name = ${job.task} and id = ${job.id}::uuid and state = 'retry'`.execute(trx);
    });
  }

  async start(): Promise<void> {
    // A fresh instance per start: a stopped pg-boss does not resume its maintenance.
    const maintainer = new PgBoss({
      db: executorOn(this.db),
      schema: PG_BOSS_SCHEMA,
      migrate: false,
      schedule: false,
      supervise: true,
      maintenanceIntervalSeconds: 30,
      archiveCompletedAfterSeconds: KEEP_DONE_SECONDS,
      archiveFailedAfterSeconds: KEEP_DEAD_SECONDS,
      deleteAfterDays: 1,
    });
    maintainer.on('error', this.report);
    await maintainer.start();
    this.#maintainer = maintainer;
  }

  async stop(): Promise<void> {
    const maintainer = this.#maintainer;
    this.#maintainer = undefined;
    // Not graceful: this instance runs no jobs (the queue's worker does), only its maintenance timer.
    await maintainer?.stop({ graceful: false, close: false });
  }

  async list(query: JobQuery & { readonly limit: number }): Promise<Job[]> {
    const states = query.state ? PG_BOSS_STATES[query.state] : undefined;
    const rows = await sql<PgBossRow>`
      select ${COLUMNS} from pgboss.job
      where left(name, 8) <> '__pgboss'
        ${states ? sql`and state::text = any(${[...states]}::text[])` : sql``}
        ${query.task ? sql`and name = ${query.task}` : sql``}
      order by created_on desc, id desc
      limit ${query.limit}`.execute(this.db);
    return rows.rows.map(toJob);
  }

  async get(id: string): Promise<Job | undefined> {
    const live = await sql<PgBossRow>`select ${COLUMNS} from pgboss.job where id = ${id}::uuid limit 1`.execute(this.db);
    if (live.rows[0]) return toJob(live.rows[0]);
    const archived = await sql<PgBossRow>`select ${COLUMNS} from pgboss.archive where id = ${id}::uuid limit 1`.execute(this.db);
    return archived.rows[0] ? toJob(archived.rows[0]) : undefined;
  }

  async retry(id: string): Promise<{ retried: boolean; job: Job } | undefined> {
    const found = await sql<PgBossRow>`select ${COLUMNS} from pgboss.job where id = ${id}::uuid limit 1`.execute(this.db);
    const row = found.rows[0];
    if (!row) {
      const archived = await this.get(id);
      return archived ? { retried: false, job: archived } : undefined;
    }
    const retried = await this.db.transaction().execute(async (trx) => {
      // One more attempt (pg-boss raises retry_limit by one), due now, and listed as queued.
      const result = (await this.#client.retry(row.name, id, { db: executorOn(trx) })) as unknown as { affected: number } | undefined;
      if (!result?.affected) return false;
      // Read in the transaction: the answer is the job as retried, not as a worker that claimed
      // it straight after the commit left it.
      const queued = await sql<PgBossRow>`
        update pgboss.job set state = 'created', start_after = now()
        where name = ${row.name} and id = ${id}::uuid and state = 'retry'
        returning ${COLUMNS}`.execute(trx);
      return queued.rows[0] ? toJob(queued.rows[0]) : true;
    });
    if (typeof retried === 'object') return { retried: true, job: retried };
    return { retried, job: (await this.get(id))! };
  }
}

const INSTALL_LOCK = 'crm.jobs.pg-boss-install';

/**
 * pg-boss installs its schema itself (`migrate: true`), inside its own BEGIN ... COMMIT. Two
 * processes starting together would race, and the loser's connection would be left in an aborted
 * transaction; so the install runs on one connection under a session advisory lock, and the
 * second process finds the schema current and does nothing.
 */
async function install(db: JobDatabase): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${INSTALL_LOCK}))`.execute(connection);
    try {
      const installer = new PgBoss({ db: executorOn(connection), schema: PG_BOSS_SCHEMA, migrate: true, schedule: false, supervise: false });
      installer.on('error', () => {});
      await installer.start();
      await installer.stop({ graceful: false, close: false });
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => {});
      throw error;
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${INSTALL_LOCK}))`.execute(connection);
    }
  });
}
