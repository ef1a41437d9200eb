import { fillSearchKeys, searchKeyColumn } from '@crm/migrations/search-key';
import { computationOf, fieldTypeOf, parseAutonumberPattern } from '../field-types';
import { compileObjectFields } from '../core/input-object';
import { snapshotTypeContext } from '../metadata/compile';
import { fieldsScope } from '../metadata/rule-scope';
import { liveObject, type MetadataSnapshot, type StoredObject } from '../metadata/snapshot';
import { isSearched } from '../metadata/searched';
import type { FieldDefinition, RollupField } from '../metadata/types';
import { initializeAutonumber } from '../records/autonumbers';
import { backfillRollups, type RollupSpec } from '../records/rollups';
import { addFieldColumn, syncSearchIndex, type PhysicalField } from '../schema-sync/field-schema';
import type { SchemaSession } from '../metadata/schema-session';

/** Physical side of fields: columns, counters and stored rollup values, driven by metadata snapshots. */

export { liveObject };

export function tableOf(snapshot: MetadataSnapshot) {
  return (objectName: string): string => {
    const object = liveObject(snapshot, objectName);
    if (!object) throw new Error(`object ${objectName} has no table`);
    return object.tableName;
  };
}

/** A field as the database has it at `snapshot` (the field with that id is in one of its objects). */
export function physicalField(snapshot: MetadataSnapshot, id: string, definition: FieldDefinition): PhysicalField {
  const object = snapshot.objects.find((o) => o.fields.some((f) => f.id === id));
  if (!object) throw new Error(`field ${id} belongs to no object`);
  return {
    id,
    definition,
    storage: fieldTypeOf(definition).storage(definition, snapshotTypeContext(snapshot)),
    searched: isSearched(definition, object.definition.title_field),
  };
}

/** The scope of an object's fields as rules see them, built from a snapshot. */
export function snapshotScope(snapshot: MetadataSnapshot, object: StoredObject) {
  const { fieldsByName } = compileObjectFields({ object: object.definition, fields: object.fields }, snapshotTypeContext(snapshot));
  return fieldsScope(fieldsByName, { allowContext: false });
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
export async function createFieldStorage(schema: SchemaSession, snapshot: MetadataSnapshot, table: string, id: string, def: FieldDefinition): Promise<void> {
  await addFieldColumn(schema, table, physicalField(snapshot, id, def), tableOf(snapshot));
  // A stored computation is backfilled for the existing records as its kind says.
  const computation = computationOf(def);
  if (computation?.kind === 'sequence') {
    const format = parseAutonumberPattern(computation.pattern);
    if (!format) throw new Error('autonumber pattern was validated');
    const rows = await schema.rows(table);
    await schema.run(
      { op: 'initialize_autonumber', table, column: def.name, rewrites: false, rows },
      {
        touchesRows: true,
        apply: async (db) => {
          await initializeAutonumber(db, table, def.name, id, format, computation.startAt);
          // A pattern may hold Chinese (`合同-{0000}`): the numbers just given need their pinyin keys.
          if (physicalField(snapshot, id, def).searched) await fillSearchKeys(db, table, def.name, searchKeyColumn(id));
        },
      },
    );
  }
  if (computation?.kind === 'aggregate') await backfillRollup(schema, table, rollupSpec(snapshot, computation.rollup));
}

/** Computes a new or redefined rollup for every parent record. */
export async function backfillRollup(schema: SchemaSession, table: string, spec: RollupSpec): Promise<void> {
  const rows = await schema.rows(table);
  await schema.run({ op: 'backfill_rollup', table, column: spec.rollupColumn, rewrites: false, rows }, { touchesRows: true, apply: (db) => backfillRollups(db, table, [spec]) });
}

/** An object's change of title field: its unmarked text fields follow it in or out of text search, with their indexes. */
export async function syncTitleSearch(schema: SchemaSession, before: MetadataSnapshot, after: MetadataSnapshot, objectId: string): Promise<void> {
  const object = after.objects.find((o) => o.id === objectId);
  if (!object) throw new Error(`object ${objectId} is missing`);
  for (const field of object.fields) {
    await syncSearchIndex(schema, object.tableName, physicalField(before, field.id, field.definition), physicalField(after, field.id, field.definition));
  }
}
