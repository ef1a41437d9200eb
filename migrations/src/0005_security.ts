import { sql, type Kysely } from 'kysely';

/** The administrator role every installation starts with (given to the bootstrapped administrator). */
export const ADMINISTRATOR_ROLE_ID = '00000000-0000-0000-0000-0000000000a1';

/**
 * Access control: departments, users' department and manager, roles (metadata documents), role
 * assignments, record shares, field history and the append-only security audit log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.departments (
      id uuid primary key,
      name text not null,
      parent_id uuid references crm_meta.departments (id) on delete restrict,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index departments_parent on crm_meta.departments (parent_id)`.execute(db);

  await sql`alter table crm_meta.users add column department_id uuid references crm_meta.departments (id) on delete restrict`.execute(db);
  await sql`alter table crm_meta.users add column manager_id uuid references crm_meta.users (id) on delete set null`.execute(db);
  await sql`create index users_department on crm_meta.users (department_id)`.execute(db);

  await sql`
    create table crm_meta.roles (
      id uuid primary key,
      name text not null unique,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into crm_meta.roles (id, name, definition)
    values (${ADMINISTRATOR_ROLE_ID}, 'administrator',
      ${JSON.stringify({ name: 'administrator', label: { en: 'Administrator', 'zh-CN': '管理员' }, admin: true, objects: {} })}::jsonb)`.execute(db);

  await sql`
    create table crm_meta.user_roles (
      user_id uuid not null references crm_meta.users (id) on delete cascade,
      role_id uuid not null references crm_meta.roles (id) on delete cascade,
      primary key (user_id, role_id)
    )`.execute(db);
  await sql`create index user_roles_role on crm_meta.user_roles (role_id)`.execute(db);
  // Whoever could sign in before roles existed was an administrator; they stay one.
  await sql`insert into crm_meta.user_roles (user_id, role_id) select user_id, ${ADMINISTRATOR_ROLE_ID}::uuid from crm_meta.credentials`.execute(db);

  await sql`
    create table crm_meta.record_shares (
      id uuid primary key,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      record_id uuid not null,
      user_id uuid references crm_meta.users (id) on delete cascade,
      department_id uuid references crm_meta.departments (id) on delete cascade,
      access text not null check (access in ('read', 'edit')),
      granted_by uuid not null references crm_meta.users (id),
      created_at timestamptz not null default now(),
      check (num_nonnulls(user_id, department_id) = 1)
    )`.execute(db);
  await sql`create unique index record_shares_user_uq on crm_meta.record_shares (object_id, record_id, user_id) where user_id is not null`.execute(db);
  await sql`create unique index record_shares_department_uq on crm_meta.record_shares (object_id, record_id, department_id) where department_id is not null`.execute(db);
  await sql`create index record_shares_user on crm_meta.record_shares (object_id, user_id)`.execute(db);
  await sql`create index record_shares_department on crm_meta.record_shares (object_id, department_id)`.execute(db);

  await sql`alter table crm_meta.api_tokens add column scopes jsonb`.execute(db);

  await sql`
    create table crm_meta.field_history (
      id bigint generated always as identity primary key,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      record_id uuid not null,
      field text not null,
      old_value jsonb,
      new_value jsonb,
      actor_id uuid not null references crm_meta.users (id),
      changed_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index field_history_record on crm_meta.field_history (object_id, record_id, changed_at)`.execute(db);

  await sql`
    create table crm_meta.audit_log (
      id bigint generated always as identity primary key,
      at timestamptz(3) not null default now(),
      actor_id uuid references crm_meta.users (id),
      event text not null,
      subject text,
      details jsonb not null default '{}'::jsonb,
      ip text
    )`.execute(db);
  await sql`create index audit_log_event on crm_meta.audit_log (event, at)`.execute(db);
  await sql`create index audit_log_actor on crm_meta.audit_log (actor_id, at)`.execute(db);
  // Append-only: not even the application may rewrite what happened.
  await sql`
    create function crm_meta.audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit log is append-only' using errcode = '42501';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_log_append_only before update or delete on crm_meta.audit_log
    for each row execute function crm_meta.audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_meta.audit_log`.execute(db);
  await sql`drop function crm_meta.audit_log_append_only`.execute(db);
  await sql`drop table crm_meta.field_history`.execute(db);
  await sql`alter table crm_meta.api_tokens drop column scopes`.execute(db);
  await sql`drop table crm_meta.record_shares`.execute(db);
  await sql`drop table crm_meta.user_roles`.execute(db);
  await sql`drop table crm_meta.roles`.execute(db);
  await sql`alter table crm_meta.users drop column manager_id, drop column department_id`.execute(db);
  await sql`drop table crm_meta.departments`.execute(db);
}
