import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { ValueKind } from '../scope';
import * as C from './cond';
import type { Cond } from './cond';

export type Sql = RawBuilder<unknown>;

/** A JSON value known when the query is built (a literal, or a context value bound as a parameter). */
export type JsValue = unknown;

/** The JavaScript type of a value computed in SQL (the class its non-null values belong to). */
export type JsClass = 'number' | 'string' | 'boolean' | 'array' | 'json';

/**
 * How a value is held in SQL. Strings come in four forms: plain text, and the typed forms of
 * uuid, date and datetime columns, which JavaScript sees as strings of one fixed shape.
 */
export type Repr = 'number' | 'text' | 'uuid' | 'date' | 'datetime' | 'boolean' | 'text_array' | 'jsonb';

/**
 * A value in SQL. SQL NULL is JavaScript null. Number values may be NaN (float8 and numeric
 * columns can hold it): PostgreSQL sorts NaN above everything and finds NaN = NaN, unlike
 * JavaScript, so comparisons guard against it.
 */
export interface SqlValue {
  readonly tag: 'sql';
  readonly cls: JsClass;
  readonly repr: Repr;
  readonly sql: Sql;
  readonly nullable: boolean;
  /** For arrays: values with the same identity are the same JavaScript object (`==` is identity). */
  readonly identity?: string;
}

export interface ConstValue {
  readonly tag: 'const';
  readonly value: JsValue;
  readonly identity?: string;
}

export type Term = SqlValue | ConstValue;

export function constTerm(value: JsValue, identity?: string): ConstValue {
  return identity === undefined ? { tag: 'const', value } : { tag: 'const', value, identity };
}

const REPR_OF_KIND: Readonly<Record<ValueKind, { cls: JsClass; repr: Repr }>> = {
  string: { cls: 'string', repr: 'text' },
  uuid: { cls: 'string', repr: 'uuid' },
  number: { cls: 'number', repr: 'number' },
  boolean: { cls: 'boolean', repr: 'boolean' },
  date: { cls: 'string', repr: 'date' },
  datetime: { cls: 'string', repr: 'datetime' },
  string_array: { cls: 'array', repr: 'text_array' },
  json: { cls: 'json', repr: 'jsonb' },
};

export function columnTerm(kind: ValueKind, column: Sql, identity: string): SqlValue {
  const { cls, repr } = REPR_OF_KIND[kind];
  return { tag: 'sql', cls, repr, sql: column, nullable: true, identity };
}

export function boolTerm(cond: Cond): Term {
  return cond.kind === 'const' ? constTerm(cond.value) : { tag: 'sql', cls: 'boolean', repr: 'boolean', sql: cond.sql, nullable: false };
}

export function kindOfTerm(term: Term): ValueKind {
  if (term.tag === 'const') {
    const v = term.value;
    if (typeof v === 'number') return 'number';
    if (typeof v === 'boolean') return 'boolean';
    if (Array.isArray(v)) return 'string_array';
    if (v !== null && typeof v === 'object') return 'json';
    return 'string';
  }
  switch (term.repr) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'uuid':
      return 'uuid';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'text_array':
      return 'string_array';
    case 'jsonb':
      return 'json';
    default:
      return 'string';
  }
}

/** A term split by nullness: under each guard the value is either the constant or non-null SQL. */
export interface Variant {
  readonly guard: Cond;
  readonly value: Term;
}

export function variants(term: Term): Variant[] {
  if (term.tag === 'const' || !term.nullable) return [{ guard: C.TRUE, value: term }];
  return [
    { guard: isNull(term), value: constTerm(null) },
    { guard: isNotNull(term), value: { ...term, nullable: false } },
  ];
}

/** JavaScript null: SQL NULL, or a jsonb null. */
export function isNull(term: SqlValue): Cond {
  if (term.cls === 'json') return C.raw(sql<SqlBool>`(${term.sql} is null or jsonb_typeof(${term.sql}) = 'null')`);
  return C.raw(sql<SqlBool>`(${term.sql} is null)`);
}

export function isNotNull(term: SqlValue): Cond {
  if (term.cls === 'json') return C.raw(sql<SqlBool>`(${term.sql} is not null and jsonb_typeof(${term.sql}) <> 'null')`);
  return C.raw(sql<SqlBool>`(${term.sql} is not null)`);
}

/** Splits over every nullable term and ORs the cases: `f` sees only constants and non-null SQL. */
export function overVariants(terms: readonly Term[], f: (values: Term[]) => Cond): Cond {
  const cases: Cond[] = [];
  const walk = (i: number, guards: Cond[], values: Term[]) => {
    if (i === terms.length) {
      cases.push(C.and(...guards, f(values)));
      return;
    }
    for (const v of variants(terms[i]!)) walk(i + 1, [...guards, v.guard], [...values, v.value]);
  };
  walk(0, [], []);
  return C.or(...cases);
}

// ---- JavaScript conversions of non-null values ------------------------------------------------

/** The JavaScript type name of a constant, as the comparison algorithms distinguish them. */
export function constClass(value: JsValue): 'null' | 'undefined' | 'number' | 'string' | 'boolean' | 'array' | 'object' {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'number' || t === 'string' || t === 'boolean') return t;
  return 'object';
}

export function classOf(term: Term): ReturnType<typeof constClass> | 'json' {
  return term.tag === 'const' ? constClass(term.value) : term.cls;
}

/** The JavaScript String(value) of a term, as SQL text; SQL NULL (JavaScript null) stays NULL. */
export function textOf(term: Term): Sql {
  if (term.tag === 'const') return sql`${String(term.value)}::text`;
  switch (term.repr) {
    case 'text':
      return term.sql;
    case 'uuid':
      return sql`(${term.sql})::text`;
    case 'date':
      return sql`to_char(${term.sql}, 'YYYY-MM-DD')`;
    case 'datetime':
      return sql`to_char(${term.sql} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'text_array':
      return sql`array_to_string(${term.sql}, ',', '')`; // join() shows null items as ''
    case 'number':
      return sql`crm_meta.js_number_to_string((${term.sql})::float8)`;
    case 'boolean':
      return sql`(case when ${term.sql} then 'true' when not ${term.sql} then 'false' end)`; // NULL stays NULL
    case 'jsonb':
      throw new Error('textOf(jsonb) must be refused by the caller');
  }
}

/** ToPrimitive: arrays become their join(","); everything else in the subset is primitive. */
export function toPrimitive(term: Term): Term {
  if (term.tag === 'const') {
    const c = constClass(term.value);
    return c === 'array' || c === 'object' ? constTerm(String(term.value)) : term;
  }
  if (term.cls === 'array') return { tag: 'sql', cls: 'string', repr: 'text', sql: textOf(term), nullable: false };
  return term;
}

/**
 * A JavaScript number in SQL: a constant, or SQL whose NaN shows either as a PostgreSQL NaN
 * value (`value`), as SQL NULL (`null`, from crm_meta.js_to_number), or never (`none`).
 */
export type Num = { readonly tag: 'const'; readonly value: number } | { readonly tag: 'sql'; readonly sql: Sql; readonly nan: 'value' | 'null' | 'none' };

/** ToNumber of a non-null primitive term (arrays must go through toPrimitive first). */
export function toNumber(term: Term): Num {
  if (term.tag === 'const') return { tag: 'const', value: Number(term.value) };
  switch (term.repr) {
    case 'number':
      return { tag: 'sql', sql: term.sql, nan: 'value' };
    case 'boolean':
      return { tag: 'sql', sql: sql`(${term.sql})::int`, nan: 'none' };
    case 'text':
      return { tag: 'sql', sql: sql`crm_meta.js_to_number(${term.sql})`, nan: 'null' };
    default:
      // Canonical uuids, dates and datetimes all contain '-' after a digit: never numeric.
      return { tag: 'const', value: Number.NaN };
  }
}

/** A number constant as a parameter: integers bind untyped (they fit any numeric column), others as numeric. */
export function numberParam(value: number): Sql {
  if (Number.isSafeInteger(value) && Math.abs(value) < 2 ** 31 && !Object.is(value, -0)) return sql`${value}`;
  return sql`${String(value)}::numeric`;
}

export function float8Param(value: number): Sql {
  return sql`${String(value)}::float8`;
}
