import { sql, type QueryExecutorProvider } from 'kysely';
import { CrmError } from '../errors';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import { recordTable } from '../schema-sync/ddl';
import { maintainRollups } from './rollup-maintenance';
import { columnList, type Row } from './statements';

/**
 * Recycle-bin semantics across relationships. A restrict lookup blocks deleting a record that
 * live records still point at; master-detail children go to the recycle bin with their master
 * (stamped with the same deleted_at) and come back with it.
 */

export async function refuseIfReferenced(db: QueryExecutorProvider, metadata: CompiledMetadata, object: CompiledObject, ids: readonly string[]): Promise<void> {
  for (const ref of object.incomingReferences) {
    if (ref.onDelete !== 'restrict') continue;
    const child = metadata.findObject(ref.object);
    if (!child) continue;
    const result = await sql<{ n: number }>`
      select count(*)::int as n from ${recordTable(child.table)}
      where ${sql.ref(ref.column)} = any(${ids}::uuid[]) and deleted_at is null`.execute(db);
    const count = Number(result.rows[0]?.n ?? 0);
    if (count > 0) throw new CrmError('reference_in_use', { object: object.name, count, referencing: ref.object, field: ref.field });
  }
}

export async function cascadeSoftDelete(
  db: QueryExecutorProvider,
  metadata: CompiledMetadata,
  object: CompiledObject,
  ids: readonly string[],
  deletedAt: string,
  actorId: string,
): Promise<void> {
  for (const ref of object.incomingReferences) {
    if (ref.onDelete !== 'cascade') continue;
    const child = metadata.findObject(ref.object);
    if (!child) continue;
    const pending = await sql<{ id: string }>`
      select id from ${recordTable(child.table)} where ${sql.ref(ref.column)} = any(${ids}::uuid[]) and deleted_at is null`.execute(db);
    const childIds = pending.rows.map((r) => r.id);
    if (childIds.length === 0) continue;
    await refuseIfReferenced(db, metadata, child, childIds);
    const updated = await sql<Row>`
      update ${recordTable(child.table)}
      set deleted_at = ${deletedAt}::timestamptz, version = version + 1, updated_at = now(), updated_by = ${actorId}::uuid
      where id = any(${childIds}::uuid[]) returning ${columnList(child.columns)}`.execute(db);
    await maintainRollups(db, child, updated.rows);
    await cascadeSoftDelete(db, metadata, child, childIds, deletedAt, actorId);
  }
}

export async function cascadeRestore(
  db: QueryExecutorProvider,
  metadata: CompiledMetadata,
  object: CompiledObject,
  ids: readonly string[],
  deletedAt: string,
  actorId: string,
): Promise<void> {
  for (const ref of object.incomingReferences) {
    if (ref.onDelete !== 'cascade') continue;
    const child = metadata.findObject(ref.object);
    if (!child) continue;
    const restored = await sql<Row>`
      update ${recordTable(child.table)}
      set deleted_at = null, version = version + 1, updated_at = now(), updated_by = ${actorId}::uuid
      where ${sql.ref(ref.column)} = any(${ids}::uuid[]) and deleted_at = ${deletedAt}::timestamptz
      returning ${columnList(child.columns)}`.execute(db);
    if (restored.rows.length === 0) continue;
    await maintainRollups(db, child, restored.rows);
    await cascadeRestore(db, metadata, child, restored.rows.map((r) => r.id as string), deletedAt, actorId);
  }
}
