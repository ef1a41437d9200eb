import { sql, type QueryExecutorProvider } from 'kysely';
import type { CompiledObject } from '../metadata/compiled';
import { aggregateOf } from '../field-types';
import { fieldsScope } from '../metadata/rule-scope';
import { recordTable } from '../schema-sync/ddl';
import type { ActorAccess } from '../security/actor-access';
import { recordPredicate } from '../security/record-predicates';
import type { RecordData } from './representation';
import { aggregateParts } from './rollups';

/**
 * A stored rollup counts every child; shown to someone who may not see every child, it would
 * leak how many there are and what they add up to. For such a reader the rollups on the page
 * are computed again over the children they can see (one grouped query per rollup field).
 */
export async function applyVisibleRollups(db: QueryExecutorProvider, actor: ActorAccess, object: CompiledObject, records: RecordData[]): Promise<void> {
  if (actor.unrestricted || records.length === 0) return;
  for (const field of object.userFields) {
    const def = aggregateOf(field.definition);
    if (!def || !(field.name in records[0]!)) continue;
    const child = actor.metadata.findObject(def.child_object);
    if (!child) continue;
    const predicate = recordPredicate(actor, child.name, 'read', { table: 'c' });
    if (!predicate) continue;
    const { aggregate, where } = aggregateParts({
      rollupColumn: field.name,
      aggregate: def.aggregate,
      childTable: child.table,
      relationshipColumn: def.relationship_field,
      aggregateColumn: def.aggregate === 'count' ? null : (def.aggregate_field ?? null),
      filter: def.filter,
      childScope: fieldsScope(child.fieldsByName, { allowContext: false }),
    });
    const ids = records.map((r) => r.id as string);
    const result = await sql<{ parent: string; value: unknown }>`
      select ${sql.ref(`c.${def.relationship_field}`)} as parent, ${aggregate} as value
      from ${recordTable(child.table)} as c
      where ${sql.ref(`c.${def.relationship_field}`)} = any(${ids}::uuid[]) and c.deleted_at is null and (${where}) and ${predicate}
      group by 1`.execute(db);
    const values = new Map(result.rows.map((r) => [r.parent, r.value]));
    const empty = def.aggregate === 'count' || def.aggregate === 'sum' ? (def.aggregate === 'count' ? 0 : '0') : null;
    for (const record of records) record[field.name] = values.get(record.id as string) ?? empty;
  }
}
