import { sql, type RawBuilder } from 'kysely';
import type { ColumnType } from '../field-types';
import type { OnDelete } from '../metadata/types';
import { fillSearchKeys, searchKeyColumn, searchKeyIndex, searchKeyText } from '@crm/migrations/search-key';
import { DATA_SCHEMA, type SchemaSession } from '../metadata/schema-session';

/**
 * DDL on record tables. Identifiers reach SQL only through sql.id/sql.table (quoted), and the
 * only raw text is a column type, which is checked against the closed set the engine creates.
 */

export { DATA_SCHEMA };

const COLUMN_TYPE = /^(text|bigint|boolean|date|timestamptz\(3\)|text\[\]|jsonb|uuid|numeric|numeric\(\d{1,2},\d{1,2}\))$/;

export function columnTypeSql(type: ColumnType): RawBuilder<unknown> {
  if (!COLUMN_TYPE.test(type)) throw new Error(`refusing unknown column type ${type}`);
  return sql.raw(type);
}

export function recordTable(table: string): RawBuilder<unknown> {
  return sql.table(`${DATA_SCHEMA}.${table}`);
}

/** Index and constraint names derive from metadata ids, so renaming a field never renames them. */
export function constraintName(prefix: 'uq' | 'fk' | 'ix' | 'oix' | 'trg' | 'pk' | 'own' | 'crt', id: string): string {
  return `${prefix}_${id.replace(/-/g, '')}`;
}

// Timestamps keep milliseconds, the precision clients see: a keyset cursor built from a returned
// value then matches the stored one exactly.
export async function createRecordTable(schema: SchemaSession, table: string, objectId: string): Promise<void> {
  await schema.run({ op: 'create_table', table, rewrites: false }, {
    touchesRows: false,
    apply: async (db) => {
      await sql`
        create table ${recordTable(table)} (
          id uuid not null,
          created_at timestamptz(3) not null default now(),
          updated_at timestamptz(3) not null default now(),
          created_by uuid not null references crm_meta.users (id),
          updated_by uuid not null references crm_meta.users (id),
          owner_id uuid not null references crm_meta.users (id),
          version integer not null default 1,
          deleted_at timestamptz(3),
          constraint ${sql.id(constraintName('pk', objectId))} primary key (id)
        )`.execute(db);
      // Owner first, then the newest-first order of a list with its id tie-break: "my records, newest
      // first" (an own-records scope, a My view) reads one index range, a small team's lists merge
      // one range per owner without sorting, and the same index serves every lookup by owner.
      await sql`create index ${sql.id(constraintName('own', objectId))} on ${recordTable(table)} (owner_id, created_at desc, id)`.execute(db);
      await sql`create index ${sql.id(constraintName('crt', objectId))} on ${recordTable(table)} (created_at)`.execute(db);
    },
  });
}

export async function renameTable(schema: SchemaSession, from: string, to: string): Promise<void> {
  await schema.run({ op: 'rename_table', table: from, rewrites: false }, { touchesRows: false, apply: (db) => sql`alter table ${recordTable(from)} rename to ${sql.id(to)}`.execute(db) });
}

export async function dropTable(schema: SchemaSession, table: string): Promise<void> {
  // cascade removes foreign keys that other recycled objects still hold on this table.
  const rows = await schema.rows(table);
  await schema.run({ op: 'drop_table', table, rewrites: false, rows }, { touchesRows: false, apply: (db) => sql`drop table ${recordTable(table)} cascade`.execute(db) });
}

/** Adding a nullable column without a default is a catalogue change only: no table rewrite. */
export async function addColumn(schema: SchemaSession, table: string, column: string, type: ColumnType): Promise<void> {
  await schema.run({ op: 'add_column', table, column, rewrites: false }, {
    touchesRows: false,
    apply: (db) => sql`alter table ${recordTable(table)} add column ${sql.id(column)} ${columnTypeSql(type)}`.execute(db),
  });
}

/** Metadata-only in PostgreSQL; the values are gone with it, so the plan says how many records held one. */
export async function dropColumn(schema: SchemaSession, table: string, column: string, searchKeyOf?: string): Promise<void> {
  const rows = await schema.rows(table);
  // A searched field's pinyin key goes with it (if it has one: `searchKeyOf` is its field id).
  const key = searchKeyOf === undefined ? sql`` : sql`, drop column if exists ${sql.id(searchKeyColumn(searchKeyOf))}`;
  await schema.run({ op: 'drop_column', table, column, rewrites: false, rows }, { touchesRows: false, apply: (db) => sql`alter table ${recordTable(table)} drop column ${sql.id(column)}${key}`.execute(db) });
}

export async function renameColumn(schema: SchemaSession, table: string, from: string, to: string): Promise<void> {
  await schema.run({ op: 'rename_column', table, column: from, rewrites: false }, {
    touchesRows: false,
    apply: (db) => sql`alter table ${recordTable(table)} rename column ${sql.id(from)} to ${sql.id(to)}`.execute(db),
  });
}

/**
 * NOT VALID skips checking existing rows, which is exact here: the column is new (all null) or
 * already held ids checked by the previous constraint; new writes are checked either way.
 */
export async function addForeignKey(
  schema: SchemaSession,
  table: string,
  column: string,
  name: string,
  target: { table: string } | 'users',
  onDelete: OnDelete | 'cascade',
): Promise<void> {
  const targetTable = target === 'users' ? sql.table('crm_meta.users') : recordTable(target.table);
  const action = onDelete === 'cascade' ? sql`cascade` : onDelete === 'restrict' ? sql`restrict` : sql`set null`;
  await schema.run({ op: 'add_foreign_key', table, column, index: name, rewrites: false }, {
    touchesRows: false,
    apply: (db) => sql`
      alter table ${recordTable(table)} add constraint ${sql.id(name)}
      foreign key (${sql.id(column)}) references ${targetTable} (id) on delete ${action} not valid`.execute(db),
  });
}

export async function dropConstraint(schema: SchemaSession, table: string, name: string): Promise<void> {
  await schema.run({ op: 'drop_constraint', table, index: name, rewrites: false }, {
    touchesRows: false,
    apply: (db) => sql`alter table ${recordTable(table)} drop constraint if exists ${sql.id(name)}`.execute(db),
  });
}

/** Records in the recycle bin do not hold their unique values. */
export async function createUniqueIndex(schema: SchemaSession, table: string, column: string, name: string): Promise<void> {
  await buildIndex(schema, 'create_unique_index', table, column, name, sql`create unique index ${sql.id(name)} on ${recordTable(table)} (${sql.id(column)}) where deleted_at is null`);
}

export async function createIndex(schema: SchemaSession, table: string, column: string, name: string, method: 'btree' | 'gin' = 'btree'): Promise<void> {
  await buildIndex(schema, 'create_index', table, column, name, sql`create index ${sql.id(name)} on ${recordTable(table)} using ${method === 'gin' ? sql`gin` : sql`btree`} (${sql.id(column)})`);
}

/**
 * The owner's records in a field's order: "my deals by amount", or a small team's, each read as
 * one index range (lists merge one range per owner, see records/list-query.ts).
 */
export async function createOwnerIndex(schema: SchemaSession, table: string, column: string, name: string): Promise<void> {
  await buildIndex(schema, 'create_index', table, column, name, sql`create index ${sql.id(name)} on ${recordTable(table)} (owner_id, ${sql.id(column)})`);
}

/**
 * Text search's index over a field's search form (crm_meta.search_text, migration 0012): the
 * trigrams records/search.ts looks a query up by. With it the field's pinyin search key
 * (migrations/search-key.ts): its column, filled for the records already there, and its index
 * over the key's search form (migration 0013). One step: the key is part of searching the field.
 */
export async function createSearchIndex(schema: SchemaSession, table: string, column: string, fieldId: string): Promise<void> {
  const name = constraintName('trg', fieldId);
  const key = searchKeyColumn(fieldId);
  const rows = await schema.rows(table);
  await schema.run({ op: 'create_index', table, column, index: name, rewrites: false, rows }, {
    touchesRows: true,
    apply: async (db) => {
      // Keys first: the indexes are then built over the rows as filled, not grown by the fill's updates.
      await sql`alter table ${recordTable(table)} add column if not exists ${sql.id(key)} text`.execute(db);
      await fillSearchKeys(db, table, column, key);
      await sql`create index ${sql.id(name)} on ${recordTable(table)} using gin (crm_meta.search_text(${sql.id(column)}) gin_trgm_ops)`.execute(db);
      await sql`create index if not exists ${sql.id(searchKeyIndex(fieldId))} on ${recordTable(table)} using gin ((${searchKeyText(column, key)}) gin_trgm_ops)`.execute(db);
    },
  });
}

/** A field leaves text search: its index, and its pinyin key with the key's index. */
export async function dropSearchIndex(schema: SchemaSession, table: string, fieldId: string): Promise<void> {
  const name = constraintName('trg', fieldId);
  await schema.run({ op: 'drop_index', table, index: name, rewrites: false }, {
    touchesRows: false,
    apply: async (db) => {
      await sql`drop index if exists ${sql.table(`${DATA_SCHEMA}.${name}`)}`.execute(db);
      await sql`alter table ${recordTable(table)} drop column if exists ${sql.id(searchKeyColumn(fieldId))}`.execute(db);
    },
  });
}

/** An index is built over every row already in the table. */
async function buildIndex(schema: SchemaSession, op: 'create_index' | 'create_unique_index', table: string, column: string, name: string, statement: RawBuilder<unknown>): Promise<void> {
  const rows = await schema.rows(table);
  await schema.run({ op, table, column, index: name, rewrites: false, rows }, { touchesRows: true, apply: (db) => statement.execute(db) });
}

/** Fresh statistics, so that the planner tells a rare search from a frequent one on an index just built over existing rows. */
export async function analyzeTable(schema: SchemaSession, table: string): Promise<void> {
  await schema.run({ op: 'analyze_table', table, rewrites: false }, { touchesRows: true, apply: (db) => sql`analyze ${recordTable(table)}`.execute(db) });
}

export async function dropIndex(schema: SchemaSession, table: string, name: string): Promise<void> {
  await schema.run({ op: 'drop_index', table, index: name, rewrites: false }, {
    touchesRows: false,
    apply: (db) => sql`drop index if exists ${sql.table(`${DATA_SCHEMA}.${name}`)}`.execute(db),
  });
}

/** The one DDL here that rewrites the table: callers say so to the user. */
export async function alterColumnType(
  schema: SchemaSession,
  table: string,
  column: string,
  change: { readonly from: string; readonly to: string; readonly type: ColumnType },
  using: RawBuilder<unknown>,
): Promise<void> {
  const rows = await schema.rows(table);
  await schema.run(
    { op: 'convert_column', table, column, rewrites: true, rows, from: change.from, to: change.to },
    { touchesRows: true, apply: (db) => sql`alter table ${recordTable(table)} alter column ${sql.id(column)} type ${columnTypeSql(change.type)} using ${using}`.execute(db) },
  );
}
