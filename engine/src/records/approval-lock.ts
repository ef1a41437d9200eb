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

/** How a refusal names the record: by its title field, when the caller may see that field. */
export interface LockRefusal {
  readonly titleField?: string;
}

/**
 * Refuses a write to a record awaiting approval. Called with the record row already locked
 * (SELECT ... FOR UPDATE): a submission locks the same row before inserting its request, so this
 * statement - a new snapshot under READ COMMITTED - sees any request committed before the lock
 * was granted. One probe of the partial unique index on pending requests.
 *
 * The message names the object by its label and the record by its title, as the person who tried
 * the write knows them; the id only when the record has no title they may see.
 */
export async function refuseIfAwaitingApproval(db: QueryExecutorProvider, object: CompiledObject, row: Readonly<Record<string, unknown>>, refusal: LockRefusal): Promise<void> {
  const id = String(row.id);
  const found = await sql<{ one: number }>`
    select 1 as one from crm_meta.approval_requests
    where object_id = ${object.id}::uuid and record_id = ${id}::uuid and status = 'pending'`.execute(db);
  if (found.rows.length === 0) return;
  const title = refusal.titleField === undefined ? undefined : row[refusal.titleField];
  const named = title === null || title === undefined || title === '' ? id : String(title);
  throw new CrmError('record_locked', { object: object.name, label: object.definition.label, id, title: named });
}

/** The title field a lock refusal may name the record by: a stored one (a formula title is not in the row), not hidden from the caller. */
export function lockRefusalFor(object: CompiledObject, hidden: ReadonlySet<string>): LockRefusal {
  const titleField = object.definition.title_field;
  return titleField !== undefined && object.columns.includes(titleField) && !hidden.has(titleField) ? { titleField } : {};
}
