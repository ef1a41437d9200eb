import { sql, type Kysely } from 'kysely';

/**
 * A notification's title and body in the languages other than English (`{"zh-CN": {"title":
 * ..., "body": ...}}`): workflows render them once per language at write time, and each reader
 * gets the one of their language (English, the `title`/`body` columns, when absent).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_meta.notifications add column translations jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_meta.notifications drop column translations`.execute(db);
}
