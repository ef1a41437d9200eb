import { sql, type Kysely } from 'kysely';

/**
 * Workflows: per-object automation documents (metadata, like validation rules and approval
 * processes), the log of every run an administrator reads, the planned date-relative runs, the
 * round-robin counters of owner assignment, and in-app notifications.
 *
 * A date-relative run is one row per (workflow, record): re-planning bumps its `generation`, and
 * the queued job of an older generation finds itself stale and does nothing, so a pending job
 * never has to be found and cancelled. Round-robin counters are rows updated under their row
 * lock inside the write's transaction, so two concurrent writes never pick the same position.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.workflows (
      id uuid primary key,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      name text not null,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (object_id, name)
    )`.execute(db);

  await sql`
    create table crm_meta.workflow_runs (
      id uuid primary key,
      workflow_id uuid references crm_meta.workflows (id) on delete set null,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      workflow text not null,
      record_id uuid,
      trigger text not null check (trigger in ('created', 'updated', 'deleted', 'restored', 'date', 'schedule')),
      actor_id uuid not null,
      depth integer not null,
      conditions jsonb not null,
      actions jsonb not null,
      outcome text not null check (outcome in ('completed', 'failed')),
      error jsonb,
      started_at timestamptz(3) not null,
      finished_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index workflow_runs_recent on crm_meta.workflow_runs (started_at desc, id desc)`.execute(db);
  await sql`create index workflow_runs_workflow on crm_meta.workflow_runs (workflow, started_at desc)`.execute(db);
  await sql`create index workflow_runs_record on crm_meta.workflow_runs (record_id, started_at desc)`.execute(db);

  await sql`
    create table crm_meta.workflow_schedules (
      workflow_id uuid not null references crm_meta.workflows (id) on delete cascade,
      record_id uuid not null,
      due_at timestamptz(3) not null,
      generation integer not null,
      primary key (workflow_id, record_id)
    )`.execute(db);

  await sql`
    create table crm_meta.workflow_counters (
      workflow_id uuid not null references crm_meta.workflows (id) on delete cascade,
      action text not null,
      position bigint not null default 0,
      primary key (workflow_id, action)
    )`.execute(db);

  await sql`
    create table crm_meta.notifications (
      id uuid primary key,
      user_id uuid not null references crm_meta.users (id) on delete cascade,
      title text not null,
      body text,
      object text,
      record_id uuid,
      workflow text,
      created_at timestamptz(3) not null default now(),
      read_at timestamptz(3)
    )`.execute(db);
  await sql`create index notifications_user on crm_meta.notifications (user_id, created_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_meta.notifications`.execute(db);
  await sql`drop table crm_meta.workflow_counters`.execute(db);
  await sql`drop table crm_meta.workflow_schedules`.execute(db);
  await sql`drop table crm_meta.workflow_runs`.execute(db);
  await sql`drop table crm_meta.workflows`.execute(db);
}
