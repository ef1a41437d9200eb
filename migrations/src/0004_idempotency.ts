import { sql, type Kysely } from 'kysely';

/**
 * Idempotency keys: a retried POST with the same key returns the first result instead of
 * writing twice. The key row is inserted in the same transaction as the write, so a concurrent
 * retry waits on the primary key and then reads the committed result.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.idempotency_keys (
      actor_id uuid not null references crm_meta.users (id),
      key text not null,
      request_hash text not null,
      response jsonb,
      created_at timestamptz not null default now(),
      primary key (actor_id, key)
    )`.execute(db);
  await sql`create index idempotency_keys_created_at on crm_meta.idempotency_keys (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_meta.idempotency_keys`.execute(db);
}
