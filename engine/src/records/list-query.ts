import { sql, type QueryExecutorProvider, type QueryResult, type RawBuilder, type SqlBool } from 'kysely';
import type { Visibility, Bind } from '../security/record-predicates';
import { CrmError, reason, validationError } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import { containsNul, jsonInputIssue, RULE_LIMITS } from '../metadata/json-limits';
import type { RuleContext } from '../metadata/rule-scope';
import type { SortSpec } from '../metadata/types';
import { recordTable } from '../schema-sync/ddl';
import { decodeCursor, encodeCursor } from './cursor';
import { filterCondition, filterStatement, type FilterStatement } from './filter-statement';
import { columnsFor, outputRecord, type RecordData } from './representation';
import { parseSort, resolveSort, sortSignature, type SortKey } from './sort';
import { executePrepared, SlotValues } from './prepared';
import { searchCondition } from './search';
import { columnList, columnTypeOf, parameterOf, typedSlot, typedValue, type Row } from './statements';

export interface ListOptions {
  /** JSON-Logic, run in the database. */
  readonly filter?: unknown;
  /** `-amount,name` or [{field, direction}]. Default: newest first. */
  readonly sort?: string | readonly SortSpec[];
  /** 1-500, default 50. */
  readonly limit?: number;
  /** `next_cursor` of the previous page. */
  readonly cursor?: string;
  /** Fields to return (id is always returned). */
  readonly fields?: readonly string[];
  /** Text searched (case-insensitively) in the object's searchable fields. */
  readonly search?: string;
  /** Also return the number of matching records. */
  readonly count?: boolean;
  /** List the recycle bin instead of live records. */
  readonly deleted?: boolean;
}

export interface ListResult {
  readonly data: RecordData[];
  readonly next_cursor: string | null;
  readonly total?: number;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
const DEFAULT_SORT: readonly SortSpec[] = [{ field: 'created_at', direction: 'desc' }];

/** Binds a value of a column into a statement: inline, or as a slot of a cached statement. */
type BindValue = (column: string, value: unknown) => RawBuilder<unknown>;

/** Rows after the cursor row in the sort order (PostgreSQL's default: nulls last ascending, first descending). */
function keysetPredicate(keys: readonly SortKey[], values: readonly unknown[], bind: BindValue): RawBuilder<SqlBool> {
  const alternatives: RawBuilder<boolean>[] = [];
  keys.forEach((key, i) => {
    const parts: RawBuilder<boolean>[] = [];
    for (let j = 0; j < i; j++) {
      const col = sql.ref(keys[j]!.column);
      const v = values[j];
      parts.push(v === null ? sql<boolean>`${col} is null` : sql<boolean>`${col} = ${bind(keys[j]!.column, v)}`);
    }
    const col = sql.ref(key.column);
    const v = values[i];
    if (key.direction === 'asc') {
      if (v === null) return; // nothing sorts after null ascending, except through later keys
      parts.push(sql<boolean>`(${col} > ${bind(key.column, v)} or ${col} is null)`);
    } else {
      parts.push(v === null ? sql<boolean>`${col} is not null` : sql<boolean>`${col} < ${bind(key.column, v)}`);
    }
    alternatives.push(sql<boolean>`(${sql.join(parts, sql` and `)})`);
  });
  if (alternatives.length === 0) return sql<boolean>`false`;
  const after = sql<boolean>`(${sql.join(alternatives, sql` or `)})`;
  // The same condition with the first key's bound on its own: an index range starts at the
  // cursor instead of walking every row before it (only where the column cannot be null).
  const first = keys[0]!;
  if (!NOT_NULL_COLUMNS.has(first.column) || values[0] === null) return after;
  return sql<boolean>`${sql.ref(first.column)} ${sql.raw(first.direction === 'desc' ? '<=' : '>=')} ${bind(first.column, values[0])} and ${after}`;
}

/** System columns every record has a value in. */
const NOT_NULL_COLUMNS = new Set(['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version']);

/** The fields to return: the ones asked for, or all, less the hidden ones (undefined: all of them). */
export function visibleSelection(object: CompiledObject, select: ReadonlySet<string> | undefined, hidden: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (hidden.size === 0) return select;
  return new Set((select ? [...select] : object.fields.map((f) => f.name)).filter((name) => !hidden.has(name)));
}

/** Hidden fields are unknown to a caller who may not see them: asking for one is the same 400. */
export function checkFieldSelection(object: CompiledObject, fields: readonly string[] | undefined, hidden: ReadonlySet<string> = new Set()): ReadonlySet<string> | undefined {
  if (fields === undefined) return undefined;
  const unknown = fields.filter((f) => !object.fieldsByName.has(f) || hidden.has(f));
  if (unknown.length) {
    throw new CrmError(
      'validation_failed',
      {},
      unknown.map((f) => ({ path: `fields/${f}`, code: 'unknown_field' as const })),
    );
  }
  return new Set(fields);
}

/** What the actor may see of the object: hidden fields and the record predicate. */
export interface ListAccess {
  readonly hidden: ReadonlySet<string>;
  /** The actor's record visibility with its values bound through `bind` (undefined: every record). */
  readonly visibility: (bind?: Bind) => Visibility | undefined;
}

/**
 * The filter and search text as untrusted input, before anything recurses into the filter or binds
 * the text: a filter within the rule limits, and no U+0000, which PostgreSQL cannot compare.
 */
export function checkListInput(options: ListOptions): void {
  if (options.filter !== undefined && options.filter !== null) {
    const issue = jsonInputIssue(options.filter, RULE_LIMITS, { path: 'filter' });
    if (issue) throw new CrmError('rule_invalid', {}, [issue]);
  }
  if (options.search !== undefined && containsNul(options.search)) throw validationError([{ path: 'search', code: 'nul_character' }]);
}

const bindInline = (value: unknown): RawBuilder<unknown> => sql`${value}`;

/**
 * The WHERE of a list: bin or not, the record predicate, the filter (translated by the caller)
 * with its values bound through `bind`, and the text search.
 */
export function listConditions(
  object: CompiledObject,
  options: ListOptions,
  hidden: ReadonlySet<string>,
  predicate: RawBuilder<SqlBool> | undefined,
  filter: FilterStatement | undefined,
  bind: (value: unknown) => RawBuilder<unknown> = bindInline,
): RawBuilder<SqlBool>[] {
  const conditions: RawBuilder<SqlBool>[] = [options.deleted ? sql<boolean>`deleted_at is not null` : sql<boolean>`deleted_at is null`];
  if (predicate) conditions.push(predicate);
  if (filter) conditions.push(filterCondition(filter, bind));
  if (options.search !== undefined && options.search.trim() !== '') {
    const searchColumns = object.searchColumns.filter((c) => !hidden.has(c));
    if (searchColumns.length === 0) {
      throw new CrmError('validation_failed', {}, [{ path: 'search', code: 'invalid', params: { reason: reason('no_searchable_fields', { object: object.name }) } }]);
    }
    conditions.push(searchCondition(searchColumns, options.search.trim(), searchColumns.map((c) => object.searchKeys.get(c)!)));
  }
  return conditions;
}

export function translatedFilter(db: QueryExecutorProvider, object: CompiledObject, options: ListOptions, context: RuleContext, hidden: ReadonlySet<string>): FilterStatement | undefined {
  return options.filter === undefined || options.filter === null ? undefined : filterStatement(db, object, options.filter, context, hidden);
}

/**
 * How many records a list would return, counting no further than `upTo` (so asking whether an
 * export fits costs at most that many index entries, never a full count of a huge table).
 */
export async function countRecordsUpTo(db: QueryExecutorProvider, object: CompiledObject, options: ListOptions, context: RuleContext, access: ListAccess, upTo: number): Promise<number> {
  checkListInput(options);
  const filter = translatedFilter(db, object, options, context, access.hidden);
  const where = sql.join(listConditions(object, options, access.hidden, access.visibility()?.predicate, filter), sql` and `);
  const result = await sql<{ n: number }>`select count(*)::int as n from (select 1 from ${recordTable(object.table)} where ${where} limit ${upTo}) as bounded`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export async function listRecords(db: QueryExecutorProvider, object: CompiledObject, options: ListOptions, context: RuleContext, access: ListAccess): Promise<ListResult> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new CrmError('validation_failed', {}, [{ path: 'limit', code: 'invalid', params: { reason: reason('must_be_whole_number_range', { min: 1, max: MAX_LIMIT }) } }]);
  }
  checkListInput(options);
  const select = visibleSelection(object, checkFieldSelection(object, options.fields, access.hidden), access.hidden);
  const keys = resolveSort(object, options.sort === undefined ? DEFAULT_SORT : parseSort(options.sort), access.hidden);
  const signature = sortSignature(keys);
  const cursorScope = `${object.name}:${signature}`;
  const cursorValues = options.cursor ? decodeCursor(options.cursor, cursorScope, keys.map((k) => columnTypeOf(object, k.column))) : undefined;

  // Lists repeat the same statement with new values (a list page, its next pages, a sorted
  // column, a view's filter with another constant): built with slots, compiled once per shape
  // and metadata revision, and run as prepared statements. A filter's part of the shape is its
  // SQL text, its constants (and $user, $now, $today) are slots; a text search is not cached
  // (its texts are as many as people type).
  const filter = translatedFilter(db, object, options, context, access.hidden);
  const cached = options.search === undefined || options.search.trim() === '';
  const slots = cached ? new SlotValues() : undefined;
  const bindFilterValue = slots ? (value: unknown) => sql`${slots.slot(value)}` : bindInline;
  const visibility = access.visibility(slots?.bind);
  const conditions = listConditions(object, options, access.hidden, visibility?.predicate, filter, bindFilterValue);
  const perOwner = visibility?.parts?.perOwner;
  const merged = perOwner !== undefined;
  const rowConditions = merged ? listConditions(object, options, access.hidden, undefined, filter, bindFilterValue) : conditions;
  // Cursor values as scalar subqueries: the planner then judges every page alike (a bound value
  // it could see would make each page's plan a custom one, planned on every call).
  const bindValue: BindValue = slots
    ? (column, value) => sql`(select ${typedSlot(object, column, slots.slot(parameterOf(object, column, value)).index)})`
    : (column, value) => typedValue(object, column, value);
  const pageConditions = cursorValues ? [...rowConditions, keysetPredicate(keys, cursorValues, bindValue)] : rowConditions;

  const columns = [...new Set([...columnsFor(object, select), ...keys.map((k) => k.column)])];
  const orderBy = sql.join(keys.map((k) => (k.direction === 'asc' ? sql`${sql.ref(k.column)} asc nulls last` : sql`${sql.ref(k.column)} desc nulls first`)));
  // The limit is written into the text (a checked integer): a prepared statement's generic plan
  // cannot know a bound limit, assumes a tenth of the table, and so never replaces custom plans.
  const pageLimit = sql.lit(limit + 1);
  const branch = (extra: readonly RawBuilder<SqlBool>[]) => sql<Row>`
    select ${columnList(columns)} from ${recordTable(object.table)}
    where ${sql.join([...pageConditions, ...extra], sql` and `)}
    order by ${orderBy} limit ${pageLimit}`;
  // `owned or shared` in one select walks the sort order testing each row, which for a rep's own
  // records (0.1% of a table) or a small team's means reading thousands of rows per page, or
  // intersects their owner index with another (a filter's) at the cost of the larger. As
  // branches, each sorted and cut to the page, each owner's rows come from the
  // (owner_id, created_at desc, id) index (newest first: one range read in order; another order:
  // the owner's rows sorted) and shared ones by id (a row in both from its owner's branch), and
  // the database merges them.
  const pageQuery = () =>
    merged
      ? sql<Row>`
        select * from (${sql.join(
          [...perOwner.map((owner) => sql`(${branch([owner])})`), sql`(${branch([visibility!.parts!.shared, sql<SqlBool>`not (${visibility!.parts!.owned})`])})`],
          sql` union all `,
        )}) as visible
        order by ${orderBy} limit ${pageLimit}`
      : branch([]);
  const countQuery = () => sql<{ n: number }>`select count(*)::int as n from ${recordTable(object.table)} where ${sql.join(conditions, sql` and `)}`;
  let page: QueryResult<Row>;
  let total: QueryResult<{ n: number }> | undefined;
  if (slots) {
    const shape = [columns.join(','), signature, options.deleted ? 'bin' : 'live', limit, visibility?.shape ?? 'all', merged ? 'merged' : 'walked', cursorValues?.map((v) => (v === null ? 'n' : 'v')).join('') ?? '-', filter?.text ?? ''].join('|');
    const fixes = { adHoc: filter !== undefined };
    [page, total] = await Promise.all([
      executePrepared<Row>(db, object, `list|${shape}`, pageQuery, slots.values, fixes),
      options.count ? executePrepared<{ n: number }>(db, object, `count|${shape}`, countQuery, slots.values, fixes) : undefined,
    ]);
  } else {
    [page, total] = await Promise.all([pageQuery().execute(db), options.count ? countQuery().execute(db) : undefined]);
  }
  const rows = page.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  const nextCursor = page.rows.length > limit && last ? encodeCursor(cursorScope, keys.map((k) => last[k.column] ?? null)) : null;
  return {
    data: rows.map((row) => outputRecord(object, row, context, select)),
    next_cursor: nextCursor,
    ...(total ? { total: Number(total.rows[0]?.n ?? 0) } : {}),
  };
}
