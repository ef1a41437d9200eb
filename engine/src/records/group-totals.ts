import { sql, type QueryExecutorProvider } from 'kysely';
import { CrmError, validationError } from '../errors';
import type { CompiledField, CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import { recordTable } from '../schema-sync/ddl';
import { checkListInput, listConditions, translatedFilter, type ListAccess } from './list-query';

export interface GroupOptions {
  /** The field whose values make the groups (a kanban's select field). */
  readonly group_by: string;
  /** A number field summed per group. */
  readonly sum?: string;
  /** JSON-Logic, as a list's. */
  readonly filter?: unknown;
  /** Text searched, as a list's `q`. */
  readonly search?: string;
}

export interface GroupTotal {
  /** The group's value (null: records without one). */
  readonly key: string | null;
  readonly count: number;
  /** The sum as an exact decimal string (null when the group holds no value to sum); only with `sum`. */
  readonly sum?: string | null;
}

/** More groups than this is not a board any more (select fields have tens of options). */
export const MAX_GROUPS = 1000;

/** A stored scalar column the reader may see. */
function columnField(object: CompiledObject, name: string, hidden: ReadonlySet<string>, path: string): CompiledField & { column: string } {
  const field = object.fieldsByName.get(name);
  if (!field || hidden.has(name)) throw new CrmError('validation_failed', {}, [{ path, code: 'unknown_field' }]);
  if (field.column === null || field.kind === 'json' || field.kind === 'string_array') throw validationError([{ path, code: 'invalid' }]);
  return field as CompiledField & { column: string };
}

/**
 * How many records of the list each value of a field holds, and the sum of a number field per
 * value: one grouped statement with the list's conditions (the actor's record visibility, the
 * filter, the search), so a board's column totals cost one query, not a read of every card.
 */
export async function groupTotals(db: QueryExecutorProvider, object: CompiledObject, options: GroupOptions, context: RuleContext, access: ListAccess): Promise<GroupTotal[]> {
  checkListInput(options);
  if (!options.group_by) throw validationError([{ path: 'group_by', code: 'required' }]);
  const group = columnField(object, options.group_by, access.hidden, 'group_by');
  const summed = options.sum === undefined ? undefined : columnField(object, options.sum, access.hidden, 'sum');
  if (summed && summed.kind !== 'number') throw validationError([{ path: 'sum', code: 'invalid' }]);
  const filter = translatedFilter(db, object, options, context, access.hidden);
  const where = sql.join(listConditions(object, options, access.hidden, access.visibility()?.predicate, filter), sql` and `);
  const key = sql.ref(group.column);
  const total = summed ? sql`, sum(${sql.ref(summed.column)})::text as total` : sql``;
  const result = await sql<{ key: unknown; n: number; total?: string | null }>`
    select ${key} as key, count(*)::int as n${total} from ${recordTable(object.table)}
    where ${where} group by ${key} order by count(*) desc limit ${MAX_GROUPS}`.execute(db);
  return result.rows.map((row) => ({
    key: row.key === null || row.key === undefined ? null : row.key instanceof Date ? row.key.toISOString() : String(row.key),
    count: Number(row.n),
    ...(summed ? { sum: row.total ?? null } : {}),
  }));
}
