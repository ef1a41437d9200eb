import type { QueryExecutorProvider } from 'kysely';
import { fieldTypeOf, parseAutonumberPattern } from '../field-types';
import { compileField, snapshotTypeContext } from '../metadata/compile';
import { fieldsScope } from '../metadata/rule-scope';
import type { MetadataSnapshot, StoredObject } from '../metadata/snapshot';
import { systemFieldDefinitions } from '../metadata/system-fields';
import type { FieldDefinition, RollupField } from '../metadata/types';
import { initializeAutonumber } from '../records/autonumbers';
import { backfillRollups, type RollupSpec } from '../records/rollups';
import { addFieldColumn, type PhysicalField } from '../schema-sync/field-schema';

/** Physical side of fields: columns, counters and stored rollup values, driven by metadata snapshots. */

export function liveObject(snapshot: Pick<MetadataSnapshot, 'objects'>, name: string): StoredObject | undefined {
  return snapshot.objects.find((o) => o.deletedAt === null && o.definition.name === name);
}

export function tableOf(snapshot: MetadataSnapshot) {
  return (objectName: string): string => {
    const object = liveObject(snapshot, objectName);
    if (!object) throw new Error(`object ${objectName} has no table`);
    return object.tableName;
  };
}

export function physicalField(snapshot: MetadataSnapshot, id: string, definition: FieldDefinition): PhysicalField {
  return { id, definition, storage: fieldTypeOf(definition).storage(definition, snapshotTypeContext(snapshot)) };
}

/** The scope of an object's fields as rules see them, built from a snapshot. */
export function snapshotScope(snapshot: MetadataSnapshot, object: StoredObject) {
  const typeContext = snapshotTypeContext(snapshot);
  const fields = [
    ...systemFieldDefinitions(object.definition.name).map((d) => compileField(d, null, true, typeContext)),
    ...object.fields.map((f) => compileField(f.definition, f.id, false, typeContext)),
  ];
  return fieldsScope(new Map(fields.map((f) => [f.name, f])), { allowContext: false });
}

export function rollupSpec(snapshot: MetadataSnapshot, def: RollupField): RollupSpec {
  const child = liveObject(snapshot, def.child_object);
  if (!child) throw new Error(`rollup child ${def.child_object} is missing`);
  return {
    rollupColumn: def.name,
    aggregate: def.aggregate,
    childTable: child.tableName,
    relationshipColumn: def.relationship_field,
    aggregateColumn: def.aggregate === 'count' ? null : (def.aggregate_field ?? null),
    filter: def.filter,
    childScope: snapshotScope(snapshot, child),
  };
}

/** Creates what a new field needs in the database, filling in values for existing records where it computes them. */
export async function createFieldStorage(db: QueryExecutorProvider, snapshot: MetadataSnapshot, table: string, id: string, def: FieldDefinition): Promise<void> {
  await addFieldColumn(db, table, physicalField(snapshot, id, def), tableOf(snapshot));
  if (def.type === 'autonumber') {
    const format = parseAutonumberPattern(def.pattern);
    if (!format) throw new Error('autonumber pattern was validated');
    await initializeAutonumber(db, table, def.name, id, format, def.start_at ?? 1);
  }
  if (def.type === 'rollup') await backfillRollups(db, table, [rollupSpec(snapshot, def)]);
}
