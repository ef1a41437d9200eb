import { sql, type QueryExecutorProvider } from 'kysely';
import type { FieldChange } from '../core/field-change-types';
import type { CompiledObject } from '../metadata/compiled';
import type { Row } from './statements';

/** Field history of objects with track_history: who changed which field, when, from what to what. */
export async function recordFieldHistory(
  db: QueryExecutorProvider,
  object: CompiledObject,
  before: Row,
  after: Row,
  changed: ReadonlySet<string>,
  actorId: string,
): Promise<void> {
  if (!object.definition.track_history) return;
  const rows = [...changed]
    .map((column) => object.fieldsByName.get(column))
    .filter((field) => field !== undefined && !field.system)
    .map((field) => {
      const out = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(field!.type.output(value, field!.definition)));
      return sql`(${object.id}::uuid, ${after.id as string}::uuid, ${field!.name}, ${out(before[field!.name])}::jsonb, ${out(after[field!.name])}::jsonb, ${actorId}::uuid)`;
    });
  if (rows.length === 0) return;
  await sql`insert into crm_meta.field_history (object_id, record_id, field, old_value, new_value, actor_id) values ${sql.join(rows)}`.execute(db);
}

export type { FieldChange };

export async function readFieldHistory(db: QueryExecutorProvider, object: CompiledObject, recordId: string, hidden: ReadonlySet<string>): Promise<FieldChange[]> {
  const rows = await sql<FieldChange>`
    select field, old_value, new_value, actor_id, changed_at from crm_meta.field_history
    where object_id = ${object.id}::uuid and record_id = ${recordId}::uuid
    order by changed_at desc, id desc limit 1000`.execute(db);
  // History of a field the reader may not see is as hidden as the field.
  return rows.rows.filter((r) => !hidden.has(r.field));
}
