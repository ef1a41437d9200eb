import { sql, type Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { validationError, reason } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import { isUuid } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import { columnList, type Row } from '../records/statements';
import { recordTable } from '../schema-sync/ddl';
import type { ActorAccess } from '../security/actor-access';
import { recordPredicate } from '../security/record-predicates';
import { holds, recordRuleData } from './process-rules';

/** Where a record stands with approvals, for a UI deciding what to offer before the user tries. */
export interface ApprovalState {
  readonly id: string;
  /** A request of it awaits a decision: the record is locked (edits and moves are refused). */
  readonly pending: boolean;
  /**
   * A submission would start a request: none is pending, and an active process's entry criteria
   * and at least one of its steps' criteria hold. Approvers are resolved only by the submission.
   */
  readonly can_submit: boolean;
}

/** At most this many ids per question (a page of a list, a column of a board): they travel in the URL. */
export const MAX_APPROVAL_STATE_IDS = 200;

/**
 * The approval states of the given records the actor may read (others, and ids that are not
 * record ids, are left out), in one read of the records and one of their pending requests,
 * the criteria evaluated as a submission evaluates them.
 */
export async function approvalStates(db: Kysely<SystemDatabase>, access: ActorAccess, object: CompiledObject, context: RuleContext, ids: readonly string[]): Promise<ApprovalState[]> {
  if (ids.length > MAX_APPROVAL_STATE_IDS) throw validationError([{ path: 'ids', code: 'invalid', params: { reason: reason('must_be_id_count_range', { min: 0, max: MAX_APPROVAL_STATE_IDS }) } }]);
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  const read = recordPredicate(access, object.name, 'read');
  const rows = (
    await sql<Row>`
      select ${columnList(object.columns)} from ${recordTable(object.table)}
      where id = any(${wanted}::uuid[]) and deleted_at is null ${read ? sql`and ${read}` : sql``}`.execute(db)
  ).rows;
  if (rows.length === 0) return [];
  const pending = new Set(
    (
      await db
        .selectFrom('crm_meta.approval_requests')
        .select('record_id')
        .where('object_id', '=', object.id)
        .where('record_id', 'in', rows.map((row) => String(row.id)))
        .where('status', '=', 'pending')
        .execute()
    ).map((request) => request.record_id),
  );
  const processes = [...object.approvalProcesses.values()].filter((process) => process.active);
  return rows.map((row) => {
    const id = String(row.id);
    if (pending.has(id)) return { id, pending: true, can_submit: false };
    const data = recordRuleData(object, row, context);
    const applies = processes.some((process) => holds(process.entry_criteria, data) && process.steps.some((step) => holds(step.criteria, data)));
    return { id, pending: false, can_submit: applies };
  });
}
