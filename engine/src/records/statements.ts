import { sql, type QueryExecutorProvider, type RawBuilder, type SqlBool } from 'kysely';
import type { ColumnType } from '../field-types/field-type';
import type { CompiledObject } from '../metadata/compiled';
import { pinyinSearchKey, SEARCH_KEY_PREFIX } from '@crm/migrations/search-key';
import { columnTypeSql, recordTable } from '../schema-sync/ddl';
import { executePrepared, Slot } from './prepared';

/** SQL for record rows. Columns are checked identifiers; every value is a bound, typed parameter. */

export type Row = Record<string, unknown>;

export function columnTypeOf(object: CompiledObject, column: string): ColumnType {
  if (column.startsWith(SEARCH_KEY_PREFIX)) return 'text';
  const field = object.fieldsByName.get(column);
  if (!field || field.storage.kind !== 'column') throw new Error(`${object.name}.${column} is not a stored column`);
  return field.storage.columnType;
}

/** The parameter sent for a stored value: jsonb travels as text (a JS array would otherwise be sent as a PostgreSQL array). */
export function parameterOf(object: CompiledObject, column: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return columnTypeOf(object, column) === 'jsonb' ? JSON.stringify(value) : value;
}

export function typedValue(object: CompiledObject, column: string, value: unknown): RawBuilder<unknown> {
  if (value === null || value === undefined) return sql`null`;
  return sql`${parameterOf(object, column, value)}::${columnTypeSql(columnTypeOf(object, column))}`;
}

/** A typed parameter placeholder for a cached statement (see prepared.ts); null binds as a typed null. */
export function typedSlot(object: CompiledObject, column: string, index: number): RawBuilder<unknown> {
  return sql`${new Slot(index)}::${columnTypeSql(columnTypeOf(object, column))}`;
}

/**
 * The row as written: with the pinyin search key of every searched column it sets (see
 * migrations/search-key.ts). Every INSERT and UPDATE of a record goes through here, so a key
 * never lags its value. Unchanged (the same object) when the row sets no searched column.
 */
export function withSearchKeys(object: CompiledObject, row: Row): Row {
  let keyed: Row | undefined;
  for (const [column, key] of object.searchKeys) {
    if (!(column in row)) continue;
    keyed ??= { ...row };
    keyed[key] = pinyinSearchKey(row[column]);
  }
  return keyed ?? row;
}

export function columnList(columns: readonly string[]): RawBuilder<unknown> {
  return sql.join(columns.map((c) => sql.ref(c)));
}

/**
 * A statement that rides along with another as a data-modifying CTE (the run log of workflows
 * planned before a create, written by the INSERT of the record): one round trip instead of
 * several, and atomic without a transaction of its own.
 */
export interface Rider {
  /** Its shape: record statements are cached per shape. */
  readonly key: string;
  /** Its SQL, with Slot placeholders numbered from `first` on. */
  readonly build: (first: number) => RawBuilder<unknown>;
  readonly values: readonly unknown[];
}

/** A row of another object inserted by the same statement (a record a planned workflow creates). */
export function insertRider(object: CompiledObject, input: Row): Rider {
  const row = withSearchKeys(object, input);
  const columns = Object.keys(row);
  return {
    key: `insert:${object.id}:${columns.join(',')}`,
    build: (first) => sql`
      insert into ${recordTable(object.table)} (${sql.join(columns.map((c) => sql.id(c)))})
      values (${sql.join(columns.map((c, i) => typedSlot(object, c, first + i)))})`,
    values: columns.map((c) => parameterOf(object, c, row[c])),
  };
}

export async function insertRow(db: QueryExecutorProvider, object: CompiledObject, input: Row, riders: readonly Rider[] = []): Promise<Row> {
  const row = withSearchKeys(object, input);
  const columns = Object.keys(row);
  const values = columns.map((c) => parameterOf(object, c, row[c]));
  const firsts: number[] = [];
  for (const rider of riders) {
    firsts.push(values.length);
    values.push(...rider.values);
  }
  const result = await executePrepared<Row>(
    db,
    object,
    `insert:${columns.join(',')}${riders.map((r) => `|${r.key}`).join('')}`,
    () => sql`
      ${riders.length ? sql`with ${sql.join(riders.map((r, i) => sql`${sql.id(`rider_${i}`)} as (${r.build(firsts[i]!)})`))}` : sql``}
      insert into ${recordTable(object.table)} (${sql.join(columns.map((c) => sql.id(c)))})
      values (${sql.join(columns.map((c, i) => typedSlot(object, c, i)))})
      returning ${columnList(object.columns)}`,
    values,
  );
  return result.rows[0]!;
}

/** A live record by id, with the given columns. */
export async function selectLiveRow(db: QueryExecutorProvider, object: CompiledObject, id: string, columns: readonly string[], includeDeleted: boolean): Promise<Row | undefined> {
  const result = await executePrepared<Row>(
    db,
    object,
    `get:${includeDeleted ? 'all' : 'live'}:${columns.join(',')}`,
    () => sql`select ${columnList(columns)} from ${recordTable(object.table)} where id = ${new Slot(0)}::uuid ${includeDeleted ? sql`` : sql`and deleted_at is null`}`,
    [id],
  );
  return result.rows[0];
}

export async function selectRowForUpdate(db: QueryExecutorProvider, object: CompiledObject, id: string): Promise<Row | undefined> {
  const result = await sql<Row>`select ${columnList(object.columns)} from ${recordTable(object.table)} where id = ${id}::uuid for update`.execute(db);
  return result.rows[0];
}

/** Sets the given columns, bumps the version and stamps who and when. */
export async function updateRow(db: QueryExecutorProvider, object: CompiledObject, id: string, input: Row, actorId: string, extra?: RawBuilder<unknown>): Promise<Row> {
  const values = withSearchKeys(object, input);
  const assignments = [
    ...Object.keys(values).map((c) => sql`${sql.id(c)} = ${typedValue(object, c, values[c])}`),
    sql`version = version + 1`,
    sql`updated_at = now()`,
    sql`updated_by = ${actorId}::uuid`,
    ...(extra ? [extra] : []),
  ];
  const result = await sql<Row>`
    update ${recordTable(object.table)} set ${sql.join(assignments)}
    where id = ${id}::uuid returning ${columnList(object.columns)}`.execute(db);
  return result.rows[0]!;
}

/** A live (or any) record by id inside the actor's read predicate; not cached, the predicate is per actor. */
export async function selectVisibleRow(
  db: QueryExecutorProvider,
  object: CompiledObject,
  id: string,
  columns: readonly string[],
  includeDeleted: boolean,
  predicate: RawBuilder<SqlBool>,
): Promise<Row | undefined> {
  const result = await sql<Row>`
    select ${columnList(columns)} from ${recordTable(object.table)}
    where id = ${id}::uuid ${includeDeleted ? sql`` : sql`and deleted_at is null`} and ${predicate}`.execute(db);
  return result.rows[0];
}

/** A record by id as a guard lets the actor reach it, with whether their edit predicate holds (`__editable`). */
export async function selectGuardedRow(
  db: QueryExecutorProvider,
  object: CompiledObject,
  id: string,
  columns: readonly string[],
  guard: { readonly read?: RawBuilder<SqlBool>; readonly edit?: RawBuilder<SqlBool> },
  includeDeleted: boolean,
  lock: boolean,
): Promise<(Row & { __editable: boolean }) | undefined> {
  const result = await sql<Row & { __editable: boolean }>`
    select ${columnList(columns)}, ${guard.edit ?? sql`true`} as __editable from ${recordTable(object.table)}
    where id = ${id}::uuid ${includeDeleted ? sql`` : sql`and deleted_at is null`} ${guard.read ? sql`and ${guard.read}` : sql``}
    ${lock ? sql`for update` : sql``}`.execute(db);
  return result.rows[0];
}

/** The id of the live record holding a unique value, inside the read predicate, locked (bulk upserts). */
export async function selectIdByUnique(db: QueryExecutorProvider, object: CompiledObject, column: string, value: unknown, predicate: RawBuilder<SqlBool> | undefined): Promise<string | undefined> {
  const found = await sql<{ id: string }>`
    select id from ${recordTable(object.table)}
    where ${sql.ref(column)} = ${value} and deleted_at is null ${predicate ? sql`and ${predicate}` : sql``} for update`.execute(db);
  return found.rows[0]?.id;
}

/** Deletes a row for good (a purge from the recycle bin). */
export async function deleteRow(db: QueryExecutorProvider, object: CompiledObject, id: string): Promise<void> {
  await sql`delete from ${recordTable(object.table)} where id = ${id}::uuid`.execute(db);
}

/** When a record went to the recycle bin (null: it is live; undefined: there is no such record). */
export async function selectDeletedAt(db: QueryExecutorProvider, object: CompiledObject, id: string): Promise<string | null | undefined> {
  const result = await sql<{ deleted_at: string | null }>`select deleted_at from ${recordTable(object.table)} where id = ${id}::uuid`.execute(db);
  return result.rows[0]?.deleted_at;
}

/** One reference to check: a live record of `object` with `id` that satisfies `predicate`. */
export interface ReferenceProbe {
  readonly object: CompiledObject;
  readonly id: string;
  readonly predicate: RawBuilder<SqlBool>;
}

/**
 * Whether each referenced record exists, is live and satisfies its predicate: one statement (one
 * round trip) for all the references of a write, however many lookup fields it sets.
 */
export async function selectReferencesFound(db: QueryExecutorProvider, probes: readonly ReferenceProbe[]): Promise<boolean[]> {
  if (probes.length === 0) return [];
  const found = probes.map(
    (p, i) => sql`exists (select 1 from ${recordTable(p.object.table)} where id = ${p.id}::uuid and deleted_at is null and ${p.predicate}) as ${sql.id(`r${i}`)}`,
  );
  const result = await sql<Record<string, boolean>>`select ${sql.join(found)}`.execute(db);
  const row = result.rows[0]!;
  return probes.map((_, i) => row[`r${i}`] === true);
}
