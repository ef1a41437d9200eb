import { sql, type QueryExecutorProvider } from 'kysely';
import { reason, validationError } from '../errors';
import { isUuid } from '../metadata/ids';
import { recordTable } from '../schema-sync/ddl';
import { rowGuard, type RecordAccess } from './record-scope';

/** Whether the caller may change a record (edit it, delete it, give it away, share it), as the write checks would decide on scope. */
export interface RecordEditability {
  readonly id: string;
  readonly editable: boolean;
}

/** At most this many ids per question (a page of a list, one record page): they travel in the URL. */
export const MAX_EDITABILITY_IDS = 200;

/**
 * Of the given records the caller may read (others, and ids that are not record ids, are left
 * out), which they may change: the object's edit permission and the record's edit scope, in one
 * read. An approval lock is not counted here (approval-states.ts answers it), so a UI can say
 * why an edit is refused rather than only that it is.
 */
export async function recordEditability(db: QueryExecutorProvider, scope: RecordAccess, ids: readonly string[]): Promise<RecordEditability[]> {
  if (ids.length > MAX_EDITABILITY_IDS) throw validationError([{ path: 'ids', code: 'invalid', params: { reason: reason('must_be_id_count_range', { min: 0, max: MAX_EDITABILITY_IDS }) } }]);
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  const guard = rowGuard(scope);
  const mayEdit = scope.access.may('edit');
  const rows = await sql<{ id: string; editable: boolean }>`
    select id, ${mayEdit ? (guard.edit ?? sql`true`) : sql`false`} as editable from ${recordTable(scope.object.table)}
    where id = any(${wanted}::uuid[]) and deleted_at is null ${guard.read ? sql`and ${guard.read}` : sql``}`.execute(db);
  return rows.rows.map((row) => ({ id: String(row.id), editable: row.editable === true }));
}
