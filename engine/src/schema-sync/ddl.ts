import { sql, type Kysely, type RawBuilder, type QueryExecutorProvider } from 'kysely';
import type { ColumnType } from '../field-types';
import type { OnDelete } from '../metadata/types';

/**
 * DDL on record tables. Identifiers reach SQL only through sql.id/sql.table (quoted), and the
 * only raw text is a column type, which is checked against the closed set the engine creates.
 */

export const DATA_SCHEMA = 'crm_data';

type Executor = QueryExecutorProvider;

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
export async function createRecordTable(db: Executor, table: string, objectId: string): Promise<void> {
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
}

export async function renameTable(db: Executor, from: string, to: string): Promise<void> {
  await sql`alter table ${recordTable(from)} rename to ${sql.id(to)}`.execute(db);
}

export async function dropTable(db: Executor, table: string): Promise<void> {
  // cascade removes foreign keys that other recycled objects still hold on this table.
  await sql`drop table ${recordTable(table)} cascade`.execute(db);
}

/** Adding a nullable column without a default is a catalogue change only: no table rewrite. */
export async function addColumn(db: Executor, table: string, column: string, type: ColumnType): Promise<void> {
  await sql`alter table ${recordTable(table)} add column ${sql.id(column)} ${columnTypeSql(type)}`.execute(db);
}

export async function dropColumn(db: Executor, table: string, column: string): Promise<void> {
  await sql`alter table ${recordTable(table)} drop column ${sql.id(column)}`.execute(db);
}

export async function renameColumn(db: Executor, table: string, from: string, to: string): Promise<void> {
  await sql`alter table ${recordTable(table)} rename column ${sql.id(from)} to ${sql.id(to)}`.execute(db);
}

/**
 * NOT VALID skips checking existing rows, which is exact here: the column is new (all null) or
 * already held ids checked by the previous constraint; new writes are checked either way.
 */
export async function addForeignKey(
  db: Executor,
  table: string,
  column: string,
  name: string,
  target: { table: string } | 'users',
  onDelete: OnDelete | 'cascade',
): Promise<void> {
  const targetTable = target === 'users' ? sql.table('crm_meta.users') : recordTable(target.table);
  const action = onDelete === 'cascade' ? sql`cascade` : onDelete === 'restrict' ? sql`restrict` : sql`set null`;
  await sql`
    alter table ${recordTable(table)} add constraint ${sql.id(name)}
    foreign key (${sql.id(column)}) references ${targetTable} (id) on delete ${action} not valid`.execute(db);
}

export async function dropConstraint(db: Executor, table: string, name: string): Promise<void> {
  await sql`alter table ${recordTable(table)} drop constraint if exists ${sql.id(name)}`.execute(db);
}

/** Records in the recycle bin do not hold their unique values. */
export async function createUniqueIndex(db: Executor, table: string, column: string, name: string): Promise<void> {
  await sql`create unique index ${sql.id(name)} on ${recordTable(table)} (${sql.id(column)}) where deleted_at is null`.execute(db);
}

export async function createIndex(db: Executor, table: string, column: string, name: string, method: 'btree' | 'gin' = 'btree'): Promise<void> {
  await sql`create index ${sql.id(name)} on ${recordTable(table)} using ${method === 'gin' ? sql`gin` : sql`btree`} (${sql.id(column)})`.execute(db);
}

/**
 * The owner's records in a field's order: "my deals by amount", or a small team's, each read as
 * one index range (lists merge one range per owner, see records/list-query.ts).
 */
export async function createOwnerIndex(db: Executor, table: string, column: string, name: string): Promise<void> {
  await sql`create index ${sql.id(name)} on ${recordTable(table)} (owner_id, ${sql.id(column)})`.execute(db);
}

/**
 * Text search's index over a field's search form (crm_meta.search_text, migration 0012): the
 * trigrams records/search.ts looks a query up by.
 */
export async function createSearchIndex(db: Executor, table: string, column: string, name: string): Promise<void> {
  await sql`create index ${sql.id(name)} on ${recordTable(table)} using gin (crm_meta.search_text(${sql.id(column)}) gin_trgm_ops)`.execute(db);
}

/** Fresh statistics, so that the planner tells a rare search from a frequent one on an index just built over existing rows. */
export async function analyzeTable(db: Executor, table: string): Promise<void> {
  await sql`analyze ${recordTable(table)}`.execute(db);
}

export async function dropIndex(db: Executor, name: string): Promise<void> {
  await sql`drop index if exists ${sql.table(`${DATA_SCHEMA}.${name}`)}`.execute(db);
}

/** The one DDL here that rewrites the table: callers say so to the user. */
export async function alterColumnType(
  db: Executor,
  table: string,
  column: string,
  type: ColumnType,
  using: RawBuilder<unknown>,
): Promise<void> {
  await sql`alter table ${recordTable(table)} alter column ${sql.id(column)} type ${columnTypeSql(type)} using ${using}`.execute(db);
}
