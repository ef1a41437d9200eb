import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * The approval grant: an approver reads the record they are asked to decide on, whatever their
 * read scope, while a task of theirs on it is pending (assigned to them by the process or handed
 * to them by a reassignment). Deciding, a reassignment away, a recall or the request's end closes
 * the task and with it the grant. It widens the record scope only, as a share does: the role must
 * still read the object, its hidden fields stay hidden, and it gives no edit.
 *
 * Two index probes: the record's pending request by the partial unique index on pending requests
 * (object_id, record_id), which also makes the scalar subquery safe (at most one row), then that
 * request's few tasks by `approval_tasks_request`. Written as a scalar subquery rather than a
 * join: PostgreSQL plans it in about a third of the time, and a record read is planned per call.
 */
export function awaitingDecisionBy(objectId: RawBuilder<unknown>, userId: RawBuilder<unknown>, recordId: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (
    select from crm_meta.approval_tasks at
    where at.approver_id = ${userId} and at.status = 'pending'
      and at.request_id = (select ar.id from crm_meta.approval_requests ar where ar.object_id = ${objectId} and ar.record_id = ${recordId} and ar.status = 'pending'))`;
}
