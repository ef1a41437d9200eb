import { sql, type Kysely } from 'kysely';

/**
 * Validation rules: per-object JSON-Logic conditions every record write must satisfy. Stored as
 * metadata documents beside layouts and views (one row per rule, the document in `definition`),
 * so they are part of the metadata revision and go with their object when it is purged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.validation_rules (
      id uuid primary key,
      object_id uuid not null references crm_meta.objects (id) on delete cascade,
      name text not null,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (object_id, name)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_meta.validation_rules`.execute(db);
}
