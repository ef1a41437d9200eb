import { sql, type Kysely } from 'kysely';
import { SYSTEM_USER_ID } from './system-user';

export { SYSTEM_USER_ID };

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists crm_meta`.execute(db);
  await sql`create schema if not exists crm_data`.execute(db);

  await sql`
    create table crm_meta.users (
      id uuid primary key,
      name text not null,
      email text,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index users_email_uq on crm_meta.users (lower(email)) where email is not null`.execute(db);
  await sql`insert into crm_meta.users (id, name, active) values (${SYSTEM_USER_ID}, 'System', true)`.execute(db);

  // The metadata revision: bumped by every metadata change, in the change's transaction.
  await sql`
    create table crm_meta.state (
      id smallint primary key default 1 check (id = 1),
      revision bigint not null
    )`.execute(db);
  await sql`insert into crm_meta.state (id, revision) values (1, 0)`.execute(db);

  await sql`
    create table crm_meta.revisions (
      revision bigint primary key,
      actor_id uuid not null references crm_meta.users (id),
      action text not null,
      subject text not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table crm_meta.objects (
      id uuid primary key,
      name text not null,
      table_name text not null unique,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db);
  await sql`create unique index objects_live_name_uq on crm_meta.objects (name) where deleted_at is null`.execute(db);

  await sql`
    create table crm_meta.fields (
      id uuid primary key,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      name text not null,
      type text not null,
      position integer not null,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (object_id, name)
    )`.execute(db);

  for (const table of ['layouts', 'views'] as const) {
    await sql`
      create table ${sql.table(`crm_meta.${table}`)} (
        id uuid primary key,
        object_id uuid not null references crm_meta.objects (id) on delete cascade,
        name text not null,
        type text not null,
        definition jsonb not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (object_id, name)
      )`.execute(db);
  }

  // One row per autonumber field; the row lock makes numbering gap-free under concurrency.
  await sql`
    create table crm_meta.autonumber_counters (
      field_id uuid primary key references crm_meta.fields (id) on delete cascade,
      last_value bigint not null default 0
    )`.execute(db);

  // Safe casts for converting a field's data to another type: null where the text does not convert,
  // so a type change can count (and refuse, or empty) the rows it would lose instead of failing midway.
  // Text to timestamptz reads the session time zone, so that one is only stable.
  for (const [name, type, volatility] of [
    ['try_date', 'date', 'immutable'],
    ['try_timestamptz', 'timestamptz', 'stable'],
    ['try_numeric', 'numeric', 'immutable'],
    ['try_uuid', 'uuid', 'immutable'],
  ] as const) {
    await sql`
      create function ${sql.id('crm_meta', name)}(value text) returns ${sql.raw(type)}
      language plpgsql ${sql.raw(volatility)} parallel safe as $$
      begin
        return value::${sql.raw(type)};
      exception when others then
        return null;
      end
      $$`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop schema crm_data cascade`.execute(db);
  await sql`drop schema crm_meta cascade`.execute(db);
}
