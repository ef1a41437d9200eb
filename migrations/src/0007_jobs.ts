import { sql, type Kysely } from 'kysely';

/**
 * Background jobs (webhooks, email) enqueued inside the transaction of the write that causes them.
 *
 * - `crm_meta.jobs` is the queue of the in-process implementation used on PGlite (one process,
 *   one connection). On PostgreSQL the queue is pg-boss, whose own schema (`pgboss`) the engine
 *   installs at start; this table then stays empty.
 * - `crm_meta.job_keys` holds the idempotency keys of jobs queued in pg-boss: pg-boss only keeps
 *   a key unique while a job waits, the engine keeps it unique for good (a key inserted by a
 *   transaction that rolls back disappears with its job).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.jobs (
      id uuid primary key,
      task text not null,
      payload jsonb not null,
      key text unique,
      state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed', 'dead')),
      attempts integer not null default 0,
      max_attempts integer not null check (max_attempts >= 1),
      run_at timestamptz(3) not null default now(),
      created_at timestamptz(3) not null default now(),
      started_at timestamptz(3),
      completed_at timestamptz(3),
      last_error text,
      output jsonb
    )`.execute(db);
  // What the worker claims next: waiting jobs by due time.
  await sql`create index jobs_runnable on crm_meta.jobs (run_at) where state in ('queued', 'failed')`.execute(db);
  // Administrators list jobs newest first, usually by state (dead letters).
  await sql`create index jobs_state_created on crm_meta.jobs (state, created_at)`.execute(db);
  await sql`create index jobs_created on crm_meta.jobs (created_at)`.execute(db);

  await sql`
    create table crm_meta.job_keys (
      key text primary key,
      job_id uuid not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_meta.job_keys`.execute(db);
  await sql`drop table crm_meta.jobs`.execute(db);
}
