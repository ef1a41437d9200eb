import { sql, type Kysely } from 'kysely';

/**
 * The approval inbox's other tabs: requests a user submitted and tasks a user decided, newest
 * first. Without these an inbox tab would read every request of the installation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index approval_requests_submitter on crm_meta.approval_requests (submitted_by, submitted_at desc)`.execute(db);
  await sql`create index approval_tasks_decided on crm_meta.approval_tasks (approver_id, decided_at desc) where status in ('approved', 'rejected')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index crm_meta.approval_tasks_decided`.execute(db);
  await sql`drop index crm_meta.approval_requests_submitter`.execute(db);
}
