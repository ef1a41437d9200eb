import { sql, type QueryExecutorProvider } from 'kysely';
import { formatAutonumber, type AutonumberFormat } from '../field-types';
import { recordTable } from '../schema-sync/ddl';

/**
 * Gap-free numbering: the counter row is updated inside the creating transaction, so its row lock
 * orders concurrent creators and a rolled-back create gives its number back.
 */
export async function nextAutonumber(db: QueryExecutorProvider, fieldId: string, format: AutonumberFormat): Promise<string> {
  const result = await sql<{ last_value: number | string }>`
    update crm_meta.autonumber_counters set last_value = last_value + 1
    where field_id = ${fieldId} returning last_value`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`autonumber counter for field ${fieldId} is missing`);
  return formatAutonumber(format, Number(row.last_value));
}

/**
 * When an autonumber field is added to a table that already has records, they are numbered in
 * creation order and the counter continues after them.
 */
export async function initializeAutonumber(
  db: QueryExecutorProvider,
  table: string,
  column: string,
  fieldId: string,
  format: AutonumberFormat,
  startAt: number,
): Promise<void> {
  // lpad would cut numbers wider than the pattern; those keep all their digits instead.
  const updated = await sql`
    with ordered as (
      select id, (row_number() over (order by created_at, id) + ${startAt - 1}::bigint)::text as n from ${recordTable(table)}
    )
    update ${recordTable(table)} as t
    set ${sql.id(column)} = ${format.prefix}
      || case when length(ordered.n) >= ${format.width} then ordered.n else lpad(ordered.n, ${format.width}, '0') end
      || ${format.suffix}
    from ordered where ordered.id = t.id`.execute(db);
  const last = startAt - 1 + Number(updated.numAffectedRows ?? 0n);
  await sql`insert into crm_meta.autonumber_counters (field_id, last_value) values (${fieldId}, ${last})`.execute(db);
}
