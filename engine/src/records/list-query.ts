import { sql, type Kysely, type QueryExecutorProvider, type RawBuilder, type SqlBool } from 'kysely';
import { registerNamedStatement } from '../db/named-statements';
import type { PredicateParts } from '../security/record-predicates';
import { CrmError } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import { fieldsScope, type RuleContext } from '../metadata/rule-scope';
import type { SortSpec } from '../metadata/types';
import { validateRule } from '../rules';
import { compileFilterToSql } from '../rules/sql';
import { recordTable } from '../schema-sync/ddl';
import { decodeCursor, encodeCursor } from './cursor';
import { columnsFor, outputRecord, type RecordData } from './representation';
import { parseSort, resolveSort, sortSignature, type SortKey } from './sort';
import { columnList, typedValue, type Row } from './statements';

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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Rows after the cursor row in the sort order (PostgreSQL's default: nulls last ascending, first descending). */
function keysetPredicate(object: CompiledObject, keys: readonly SortKey[], values: readonly unknown[]): RawBuilder<SqlBool> {
  const alternatives: RawBuilder<boolean>[] = [];
  keys.forEach((key, i) => {
    const parts: RawBuilder<boolean>[] = [];
    for (let j = 0; j < i; j++) {
      const col = sql.ref(keys[j]!.column);
      const v = values[j];
      parts.push(v === null ? sql<boolean>`${col} is null` : sql<boolean>`${col} = ${typedValue(object, keys[j]!.column, v)}`);
    }
    const col = sql.ref(key.column);
    const v = values[i];
    if (key.direction === 'asc') {
      if (v === null) return; // nothing sorts after null ascending, except through later keys
      parts.push(sql<boolean>`(${col} > ${typedValue(object, key.column, v)} or ${col} is null)`);
    } else {
      parts.push(v === null ? sql<boolean>`${col} is not null` : sql<boolean>`${col} < ${typedValue(object, key.column, v)}`);
    }
    alternatives.push(sql<boolean>`(${sql.join(parts, sql` and `)})`);
  });
  return alternatives.length ? sql<boolean>`(${sql.join(alternatives, sql` or `)})` : sql<boolean>`false`;
}

const filterCache = new WeakMap<CompiledObject, Map<string, RawBuilder<SqlBool>>>();
const MAX_CACHED_FILTERS = 200;

/**
 * A list filter as SQL. Lists repeat the same filters (a view, a kanban column), so the
 * translation of filters that do not read $user, $now or $today is kept per compiled object.
 */
function filterSql(object: CompiledObject, filter: unknown, context: RuleContext, hidden: ReadonlySet<string>): RawBuilder<SqlBool> {
  // Whether a filter is valid depends on which fields the caller may see.
  const key = `${[...hidden].sort().join(',')}|${JSON.stringify(filter)}`;
  const cacheable = !key.includes('"$');
  const cached = cacheable ? filterCache.get(object)?.get(key) : undefined;
  if (cached) return cached;
  const scope = fieldsScope(object.fieldsByName, { context, hidden });
  validateRule(filter, scope);
  const compiled = compileFilterToSql(filter, scope);
  if (cacheable) {
    let byKey = filterCache.get(object);
    if (!byKey) filterCache.set(object, (byKey = new Map()));
    if (byKey.size >= MAX_CACHED_FILTERS) byKey.clear();
    byKey.set(key, compiled);
  }
  return compiled;
}

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
  readonly predicate: RawBuilder<SqlBool> | undefined;
  /** The predicate's two parts (owned or shared): a page then reads each through its own index. */
  readonly branches?: PredicateParts | undefined;
}

/** The WHERE of a list: bin or not, the actor's record predicate, the filter and the text search. */
function listConditions(object: CompiledObject, options: ListOptions, context: RuleContext, access: ListAccess): RawBuilder<SqlBool>[] {
  const conditions: RawBuilder<SqlBool>[] = [options.deleted ? sql<boolean>`deleted_at is not null` : sql<boolean>`deleted_at is null`];
  if (access.predicate) conditions.push(access.predicate);
  if (options.filter !== undefined && options.filter !== null) conditions.push(filterSql(object, options.filter, context, access.hidden));
  if (options.search !== undefined && options.search.trim() !== '') {
    const searchColumns = object.searchColumns.filter((c) => !access.hidden.has(c));
    if (searchColumns.length === 0) {
      throw new CrmError('validation_failed', {}, [{ path: 'search', code: 'invalid', params: { reason: `${object.name} has no searchable fields` } }]);
    }
    const pattern = `%${escapeLike(options.search.trim())}%`;
    conditions.push(sql<boolean>`(${sql.join(searchColumns.map((c) => sql`${sql.ref(c)} ilike ${pattern}`), sql` or `)})`);
  }
  return conditions;
}

/**
 * How many records a list would return, counting no further than `upTo` (so asking whether an
 * export fits costs at most that many index entries, never a full count of a huge table).
 */
export async function countRecordsUpTo(db: QueryExecutorProvider, object: CompiledObject, options: ListOptions, context: RuleContext, access: ListAccess, upTo: number): Promise<number> {
  const where = sql.join(listConditions(object, options, context, access), sql` and `);
  const result = await sql<{ n: number }>`select count(*)::int as n from (select 1 from ${recordTable(object.table)} where ${where} limit ${upTo}) as bounded`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

const namedLists = new WeakMap<CompiledObject, Set<string>>();
const MAX_NAMED_LISTS = 200;

/**
 * Names a list statement once per compiled object, that is per metadata revision: a statement
 * prepared before a column changed type must not be run by name after it.
 */
function nameListStatement(object: CompiledObject, text: string): void {
  let texts = namedLists.get(object);
  if (!texts) namedLists.set(object, (texts = new Set()));
  if (texts.has(text)) return;
  if (texts.size >= MAX_NAMED_LISTS) texts.clear();
  texts.add(text);
  registerNamedStatement(text);
}

export async function listRecords(db: QueryExecutorProvider, object: CompiledObject, options: ListOptions, context: RuleContext, access: ListAccess): Promise<ListResult> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new CrmError('validation_failed', {}, [{ path: 'limit', code: 'invalid', params: { reason: `must be a whole number from 1 to ${MAX_LIMIT}` } }]);
  }
  const select = visibleSelection(object, checkFieldSelection(object, options.fields, access.hidden), access.hidden);
  const keys = resolveSort(object, options.sort === undefined ? DEFAULT_SORT : parseSort(options.sort), access.hidden);
  const signature = sortSignature(keys);

  const conditions = listConditions(object, options, context, access);
  const where = sql.join(conditions, sql` and `);
  const rowConditions = access.branches ? listConditions(object, options, context, { ...access, predicate: undefined }) : conditions;
  const pageConditions = options.cursor ? [...rowConditions, keysetPredicate(object, keys, decodeCursor(options.cursor, signature, keys.length))] : rowConditions;

  const columns = [...new Set([...columnsFor(object, select), ...keys.map((k) => k.column)])];
  const orderBy = sql.join(keys.map((k) => (k.direction === 'asc' ? sql`${sql.ref(k.column)} asc nulls last` : sql`${sql.ref(k.column)} desc nulls first`)));
  const branch = (extra: readonly RawBuilder<SqlBool>[]) => sql<Row>`
    select ${columnList(columns)} from ${recordTable(object.table)}
    where ${sql.join([...pageConditions, ...extra], sql` and `)}
    order by ${orderBy} limit ${limit + 1}`;
  // `owned or shared` in one select can only walk the sort order and test each row, which for a
  // rep's own records (0.1% of a table) means reading thousands of rows per page. As two branches,
  // each sorted and cut to the page, owned rows come from the (owner_id, created_at) index and
  // shared ones by id; a row in both comes from the first only.
  const pageQuery = access.branches
    ? sql<Row>`
        select * from ((${branch([access.branches.owned])}) union all (${branch([access.branches.shared, sql<SqlBool>`not (${access.branches.owned})`])})) as visible
        order by ${orderBy} limit ${limit + 1}`
    : branch([]);
  const compiledPage = pageQuery.compile(db);
  // Unfiltered lists (a list page, its next pages, a sorted column) repeat the same text with
  // new values: run them as prepared statements. Filtered ones are not named, since their texts
  // are as many as the filters people type.
  if (options.filter === undefined && (options.search === undefined || options.search.trim() === '')) nameListStatement(object, compiledPage.sql);
  const [page, total] = await Promise.all([
    (db as unknown as Kysely<unknown>).executeQuery<Row>(compiledPage),
    options.count ? sql<{ n: number }>`select count(*)::int as n from ${recordTable(object.table)} where ${where}`.execute(db) : undefined,
  ]);
  const rows = page.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  const nextCursor = page.rows.length > limit && last ? encodeCursor(signature, keys.map((k) => last[k.column] ?? null)) : null;
  return {
    data: rows.map((row) => outputRecord(object, row, context, select)),
    next_cursor: nextCursor,
    ...(total ? { total: Number(total.rows[0]?.n ?? 0) } : {}),
  };
}
