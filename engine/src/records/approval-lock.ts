import { sql, type QueryExecutorProvider } from 'kysely';
import { CrmError } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import type { ActorAccess } from '../security/actor-access';

/**
 * A record with a pending approval request is locked: updates, deletes, bulk updates and
 * transfers are refused (409 record_locked) for everyone but administrators and the system actor
 * (which applies the approval's field updates). The check lives in one place of the write
 * pipeline: `currentRow` (write-update.ts), after it has locked the row.
 */

/** Whether the actor's writes to the object must check for a pending request: never a query for objects without approval processes. */
export function approvalLockApplies(actor: ActorAccess, object: CompiledObject): boolean {
  return object.approvalProcesses.size > 0 && !actor.unrestricted;
}

/**
 * Refuses a write to a record awaiting approval. Called with the record row already locked
 * (SELECT ... FOR UPDATE): a submission locks the same row before inserting its request, so this
 * statement - a new snapshot under READ COMMITTED - sees any request committed before the lock
 * was granted. One probe of the partial unique index on pending requests.
 */
export async function refuseIfAwaitingApproval(db: QueryExecutorProvider, object: CompiledObject, id: string): Promise<void> {
  const found = await sql<{ one: number }>`
    select 1 as one from crm_meta.approval_requests
    where object_id = ${object.id}::uuid and record_id = ${id}::uuid and status = 'pending'`.execute(db);
  if (found.rows.length > 0) throw new CrmError('record_locked', { object: object.name, id });
}
