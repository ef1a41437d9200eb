import { sql, type Kysely } from 'kysely';

/**
 * Multi-step approvals: approval processes (metadata documents per object, like views) and the
 * runtime tables - one request per submission, one row per step that started (or was skipped),
 * one task per approver of a step, and the history of every action.
 *
 * A request keeps a copy of the process as it was submitted, so changing or deactivating the
 * process never changes a request already running. The partial unique index on pending requests
 * both enforces "one pending request per record" and is the lookup the record write pipeline
 * makes to refuse changes to a record awaiting approval.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.approval_processes (
      id uuid primary key,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      name text not null,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (object_id, name)
    )`.execute(db);

  await sql`
    create table crm_meta.approval_requests (
      id uuid primary key,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      record_id uuid not null,
      process_id uuid references crm_meta.approval_processes (id) on delete set null,
      process_name text not null,
      definition jsonb not null,
      status text not null check (status in ('pending', 'approved', 'rejected', 'recalled')),
      current_step integer,
      submitted_by uuid not null references crm_meta.users (id),
      submit_comment text,
      submitted_at timestamptz(3) not null default now(),
      decided_at timestamptz(3),
      check ((status = 'pending') = (decided_at is null))
    )`.execute(db);
  await sql`create unique index approval_requests_pending on crm_meta.approval_requests (object_id, record_id) where status = 'pending'`.execute(db);
  await sql`create index approval_requests_record on crm_meta.approval_requests (object_id, record_id, submitted_at)`.execute(db);
  await sql`create index approval_requests_process on crm_meta.approval_requests (process_id) where status = 'pending'`.execute(db);

  await sql`
    create table crm_meta.approval_steps (
      id uuid primary key,
      request_id uuid not null references crm_meta.approval_requests (id) on delete cascade,
      position integer not null,
      name text not null,
      mode text not null check (mode in ('any', 'all')),
      status text not null check (status in ('pending', 'approved', 'rejected', 'skipped', 'cancelled')),
      started_at timestamptz(3) not null default now(),
      decided_at timestamptz(3),
      unique (request_id, position)
    )`.execute(db);

  await sql`
    create table crm_meta.approval_tasks (
      id uuid primary key,
      request_id uuid not null references crm_meta.approval_requests (id) on delete cascade,
      step_id uuid not null references crm_meta.approval_steps (id) on delete cascade,
      approver_id uuid not null references crm_meta.users (id),
      status text not null check (status in ('pending', 'approved', 'rejected', 'reassigned', 'cancelled')),
      comment text,
      created_at timestamptz(3) not null default now(),
      decided_at timestamptz(3)
    )`.execute(db);
  // The inbox: pending tasks of one approver.
  await sql`create index approval_tasks_inbox on crm_meta.approval_tasks (approver_id, created_at) where status = 'pending'`.execute(db);
  await sql`create index approval_tasks_request on crm_meta.approval_tasks (request_id)`.execute(db);
  // Nobody holds two open tasks in one step (resolution deduplicates; reassignment is checked).
  await sql`create unique index approval_tasks_one_open on crm_meta.approval_tasks (step_id, approver_id) where status = 'pending'`.execute(db);

  await sql`
    create table crm_meta.approval_history (
      id bigint generated always as identity primary key,
      request_id uuid not null references crm_meta.approval_requests (id) on delete cascade,
      step_position integer,
      action text not null check (action in ('submitted', 'approved', 'rejected', 'recalled', 'reassigned', 'skipped')),
      actor_id uuid not null references crm_meta.users (id),
      to_user_id uuid references crm_meta.users (id),
      comment text,
      at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index approval_history_request on crm_meta.approval_history (request_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_meta.approval_history`.execute(db);
  await sql`drop table crm_meta.approval_tasks`.execute(db);
  await sql`drop table crm_meta.approval_steps`.execute(db);
  await sql`drop table crm_meta.approval_requests`.execute(db);
  await sql`drop table crm_meta.approval_processes`.execute(db);
}
