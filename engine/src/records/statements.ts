import { sql, type QueryExecutorProvider, type RawBuilder } from 'kysely';
import type { CompiledObject } from '../metadata/compiled';
import { columnTypeSql, recordTable } from '../schema-sync/ddl';

/** SQL for record rows. Columns are checked identifiers; every value is a bound, typed parameter. */

export type Row = Record<string, unknown>;

export function typedValue(object: CompiledObject, column: string, value: unknown): RawBuilder<unknown> {
  const field = object.fieldsByName.get(column);
  if (!field || field.storage.kind !== 'column') throw new Error(`${object.name}.${column} is not a stored column`);
  if (value === null || value === undefined) return sql`null`;
  const type = field.storage.columnType;
  // jsonb travels as text: a JS array would otherwise be sent as a PostgreSQL array.
  const param = type === 'jsonb' ? JSON.stringify(value) : value;
  return sql`${param}::${columnTypeSql(type)}`;
}

export function columnList(columns: readonly string[]): RawBuilder<unknown> {
  return sql.join(columns.map((c) => sql.ref(c)));
}

export async function insertRow(db: QueryExecutorProvider, object: CompiledObject, row: Row): Promise<Row> {
  const columns = Object.keys(row);
  const result = await sql<Row>`
    insert into ${recordTable(object.table)} (${sql.join(columns.map((c) => sql.id(c)))})
    values (${sql.join(columns.map((c) => typedValue(object, c, row[c])))})
    returning ${columnList(object.columns)}`.execute(db);
  return result.rows[0]!;
}

export async function selectRowForUpdate(db: QueryExecutorProvider, object: CompiledObject, id: string): Promise<Row | undefined> {
  const result = await sql<Row>`select ${columnList(object.columns)} from ${recordTable(object.table)} where id = ${id}::uuid for update`.execute(db);
  return result.rows[0];
}

/** Sets the given columns, bumps the version and stamps who and when. */
export async function updateRow(db: QueryExecutorProvider, object: CompiledObject, id: string, values: Row, actorId: string, extra?: RawBuilder<unknown>): Promise<Row> {
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
