import { referenceOf, type Storage } from '../field-types';
import type { FieldDefinition } from '../metadata/types';
import {
  addColumn,
  addForeignKey,
  analyzeTable,
  constraintName,
  createIndex,
  createOwnerIndex,
  createSearchIndex,
  createUniqueIndex,
  dropColumn,
  dropConstraint,
  dropIndex,
  dropSearchIndex,
  renameColumn,
} from './ddl';
import type { SchemaSession } from '../metadata/schema-session';

/** A field as the database sees it. */
export interface PhysicalField {
  readonly id: string;
  readonly definition: FieldDefinition;
  readonly storage: Storage;
  /** Text search reads it (metadata/searched.ts): it has a search index. */
  readonly searched: boolean;
}

/** Resolves an object name to its table (for foreign keys). */
export type TableOf = (objectName: string) => string;

function isReference(def: FieldDefinition): boolean {
  return referenceOf(def) !== undefined;
}

/** References are always indexed: related lists, rollups and delete checks all look children up by them. */
function wantsIndex(def: FieldDefinition): boolean {
  return isReference(def) || def.indexed === true;
}

/** An indexed field also gets an owner-first index (not references and multiselects: they are looked up by value, not listed in order). */
function wantsOwnerIndex(field: PhysicalField): boolean {
  return field.definition.indexed === true && !isReference(field.definition) && field.storage.kind === 'column' && field.storage.columnType !== 'text[]';
}

async function addForeignKeyFor(schema: SchemaSession, table: string, field: PhysicalField, tableOf: TableOf): Promise<void> {
  const def = field.definition;
  const name = constraintName('fk', field.id);
  const reference = referenceOf(def);
  if (!reference) return;
  await addForeignKey(schema, table, def.name, name, reference.to === 'user' ? 'users' : { table: tableOf(reference.target) }, reference.onDelete);
}

export async function addFieldColumn(schema: SchemaSession, table: string, field: PhysicalField, tableOf: TableOf): Promise<void> {
  if (field.storage.kind !== 'column') return;
  const def = field.definition;
  await addColumn(schema, table, def.name, field.storage.columnType);
  await addForeignKeyFor(schema, table, field, tableOf);
  if (wantsIndex(def)) {
    await createIndex(schema, table, def.name, constraintName('ix', field.id), field.storage.columnType === 'text[]' ? 'gin' : 'btree');
  }
  if (wantsOwnerIndex(field)) await createOwnerIndex(schema, table, def.name, constraintName('oix', field.id));
  if (def.unique) await createUniqueIndex(schema, table, def.name, constraintName('uq', field.id));
  if (field.searched) await createSearchIndex(schema, table, def.name, field.id);
}

/** Dropping the column drops its indexes and constraints with it (metadata-only in PostgreSQL). */
export async function dropFieldColumn(schema: SchemaSession, table: string, field: PhysicalField): Promise<void> {
  if (field.storage.kind !== 'column') return;
  await dropColumn(schema, table, field.definition.name, field.searched ? field.id : undefined);
}

export async function renameFieldColumn(schema: SchemaSession, table: string, before: PhysicalField, after: PhysicalField): Promise<void> {
  if (before.storage.kind !== 'column' || after.storage.kind !== 'column') return;
  if (before.definition.name !== after.definition.name) await renameColumn(schema, table, before.definition.name, after.definition.name);
}

/**
 * A field's search index as its searchability changed (its own `searchable`, its type, or the
 * object's title field). Built over existing rows, so the table's statistics are renewed.
 */
export async function syncSearchIndex(schema: SchemaSession, table: string, before: PhysicalField, after: PhysicalField): Promise<void> {
  if (before.searched === after.searched) return;
  if (after.searched) {
    await createSearchIndex(schema, table, after.definition.name, after.id);
    await analyzeTable(schema, table);
  } else {
    await dropSearchIndex(schema, table, after.id);
  }
}

/** Before a column changes type: the search index reads text, and ALTER COLUMN TYPE would fail rebuilding it over another type. */
export async function prepareColumnRetype(schema: SchemaSession, table: string, before: PhysicalField, after: PhysicalField): Promise<void> {
  if (before.searched && (after.storage.kind !== 'column' || after.storage.columnType !== 'text')) await dropSearchIndex(schema, table, before.id);
}

/**
 * Brings indexes and constraints in line with a changed definition (same column type; type
 * changes go through conversions.ts first and then through here).
 */
export async function syncFieldConstraints(
  schema: SchemaSession,
  table: string,
  before: PhysicalField,
  after: PhysicalField,
  tableOf: TableOf,
): Promise<void> {
  if (after.storage.kind !== 'column') return;
  const b = before.definition;
  const a = after.definition;
  const column = a.name;
  const fkChanged =
    isReference(b) !== isReference(a) ||
    b.type !== a.type ||
    ('on_delete' in b ? b.on_delete : undefined) !== ('on_delete' in a ? a.on_delete : undefined) ||
    ('target' in b ? b.target : undefined) !== ('target' in a ? a.target : undefined);
  if (fkChanged) {
    if (isReference(b)) await dropConstraint(schema, table, constraintName('fk', after.id));
    await addForeignKeyFor(schema, table, after, tableOf);
  }
  const indexMethodChanged = before.storage.kind === 'column' && (before.storage.columnType === 'text[]') !== (after.storage.columnType === 'text[]');
  if (wantsIndex(b) !== wantsIndex(a) || (wantsIndex(a) && indexMethodChanged)) {
    await dropIndex(schema, table, constraintName('ix', after.id));
    if (wantsIndex(a)) await createIndex(schema, table, column, constraintName('ix', after.id), after.storage.columnType === 'text[]' ? 'gin' : 'btree');
  }
  if (wantsOwnerIndex(before) !== wantsOwnerIndex(after)) {
    if (wantsOwnerIndex(after)) await createOwnerIndex(schema, table, column, constraintName('oix', after.id));
    else await dropIndex(schema, table, constraintName('oix', after.id));
  }
  if (Boolean(b.unique) !== Boolean(a.unique)) {
    if (a.unique) await createUniqueIndex(schema, table, column, constraintName('uq', after.id));
    else await dropIndex(schema, table, constraintName('uq', after.id));
  }
  await syncSearchIndex(schema, table, before, after);
}
