import { sql, type Kysely } from 'kysely';

/**
 * Personal saved views: a user's own named list settings (columns, sort, filter, quick search) of
 * one object, kept on the server so they follow the user to every browser. The definition names
 * fields by id (renames need no rewrite); the engine turns ids back into names when reading.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.saved_views (
      id uuid primary key,
      owner_id uuid not null references crm_meta.users (id) on delete cascade,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      name text not null,
      definition jsonb not null,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      constraint saved_views_owner_object_name unique (owner_id, object_id, name)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_meta.saved_views`.execute(db);
}
