import { sql, type SqlBool } from 'kysely';
import { reason } from '../../errors';
import { refuse } from './refuse';
import * as C from './cond';
import type { Cond } from './cond';
import { isCanonicalDate, isCanonicalDatetime, isCanonicalUuid, nextMillisecond } from './literal-forms';
import { classOf, constTerm, numberParam, textOf, toNumber, toPrimitive, type Num, type Sql, type SqlValue, type Term } from './terms';

/**
 * JavaScript's comparison algorithms (IsLooselyEqual, IsStrictlyEqual, IsLessThan) on two
 * non-null terms, as two-valued SQL. Constants fold with JavaScript itself, so what cannot be
 * decided per row never reaches the database.
 */

export type Relation = '<' | '<=' | '>' | '>=';
const FLIPPED: Readonly<Record<Relation, Relation>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function refuseJson(operation: string): never {
  refuse(reason('sql_compare_json', { operation }));
}

/** `a == b`. */
export function looselyEqual(a: Term, b: Term, operation = '=='): Cond {
  if (a.tag === 'const' && b.tag === 'const') return C.constant(a.value == b.value);
  const ca = classOf(a);
  const cb = classOf(b);
  // Null and undefined equal each other only; non-null SQL terms are neither.
  if (ca === 'null' || ca === 'undefined' || cb === 'null' || cb === 'undefined') return C.FALSE;
  if (ca === 'json' || cb === 'json') refuseJson(operation);
  if (ca === cb) return sameClassEqual(a, b);
  if (ca === 'number' && cb === 'string') return numbersEqual(toNumber(a), toNumber(b));
  if (ca === 'string' && cb === 'number') return numbersEqual(toNumber(a), toNumber(b));
  if (ca === 'boolean') return looselyEqual(numberTerm(toNumber(a)), b, operation);
  if (cb === 'boolean') return looselyEqual(a, numberTerm(toNumber(b)), operation);
  const objectA = ca === 'array' || ca === 'object';
  const objectB = cb === 'array' || cb === 'object';
  if (objectA && !objectB) return looselyEqual(toPrimitive(a), b, operation);
  if (objectB && !objectA) return looselyEqual(a, toPrimitive(b), operation);
  return C.FALSE;
}

/** `a === b`. */
export function strictlyEqual(a: Term, b: Term, operation = '==='): Cond {
  if (a.tag === 'const' && b.tag === 'const') return C.constant(a.value === b.value);
  const ca = classOf(a);
  const cb = classOf(b);
  if (ca === 'json' || cb === 'json') return jsonStrictlyEqual(a, b, operation);
  if (ca !== cb) return C.FALSE;
  return sameClassEqual(a, b);
}

/** `a < b` and friends: both strings compare by code unit, anything else as numbers. */
export function relation(op: Relation, a: Term, b: Term, operation: string = op): Cond {
  if (a.tag === 'const' && b.tag === 'const') return C.constant(jsRelation(op, a.value, b.value));
  if (classOf(a) === 'json' || classOf(b) === 'json') refuseJson(operation);
  const pa = toPrimitive(a);
  const pb = toPrimitive(b);
  if (classOf(pa) === 'string' && classOf(pb) === 'string') return stringRelation(op, pa, pb);
  return numberRelation(op, toNumber(pa), toNumber(pb));
}

function jsRelation(op: Relation, a: unknown, b: unknown): boolean {
  const x = a as number;
  const y = b as number;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

function numberTerm(n: Num): Term {
  if (n.tag === 'const') return constTerm(n.value);
  // Only booleans are converted here, and their numbers are never NaN.
  return { tag: 'sql', cls: 'number', repr: 'number', sql: n.sql, nullable: false };
}

function sameClassEqual(a: Term, b: Term): Cond {
  switch (classOf(a)) {
    case 'number':
      return numbersEqual(toNumber(a), toNumber(b));
    case 'string':
      return stringsEqual(a, b);
    case 'boolean':
      return booleansEqual(a, b);
    default:
      // Arrays and objects are equal only when they are the same object.
      return C.constant(a.identity !== undefined && a.identity === b.identity);
  }
}

function booleansEqual(a: Term, b: Term): Cond {
  if (a.tag === 'const') return booleansEqual(b, a);
  if (b.tag === 'const') return b.value ? C.raw(a.sql as never) : C.not(C.raw(a.sql as never));
  return C.raw(sql<SqlBool>`(${a.sql} = ${b.sql})`);
}

// ---- numbers ---------------------------------------------------------------------------------

function numSql(n: Num): Sql {
  return n.tag === 'const' ? numberParam(n.value) : n.sql;
}

/** NaN tests for a PostgreSQL number: NaN sorts above every number, including Infinity. */
function notNaN(n: Num): Cond {
  if (n.tag === 'const' || n.nan !== 'value') return C.TRUE;
  return C.raw(sql<SqlBool>`(${n.sql} < 'NaN'::numeric)`);
}

function numbersEqual(x: Num, y: Num): Cond {
  return numberCompare('=', x, y);
}

function numberRelation(op: Relation, x: Num, y: Num): Cond {
  return numberCompare(op, x, y);
}

function numberCompare(op: Relation | '=', x: Num, y: Num): Cond {
  if (x.tag === 'const' && y.tag === 'const') return C.constant(op === '=' ? x.value === y.value : jsRelation(op, x.value, y.value));
  if ((x.tag === 'const' && Number.isNaN(x.value)) || (y.tag === 'const' && Number.isNaN(y.value))) return C.FALSE;
  const core = sql<SqlBool>`${numSql(x)} ${sql.raw(op)} ${numSql(y)}`;
  const nanAsNull = (x.tag === 'sql' && x.nan === 'null') || (y.tag === 'sql' && y.nan === 'null');
  const compared = C.raw(nanAsNull ? sql<SqlBool>`coalesce(${core}, false)` : sql<SqlBool>`(${core})`);
  // Where PostgreSQL's NaN ordering would say true and JavaScript says false.
  if (op === '<' || op === '<=') return C.and(compared, notNaN(y));
  if (op === '>' || op === '>=') return C.and(compared, notNaN(x));
  return x.tag === 'sql' && x.nan === 'value' && y.tag === 'sql' && y.nan === 'value' ? C.and(compared, notNaN(x)) : compared;
}

// ---- strings ---------------------------------------------------------------------------------

/** Which side has a typed twin for a constant string, and the typed SQL of the constant. */
function typedConstant(column: SqlValue, value: string): Sql | undefined {
  switch (column.repr) {
    case 'text':
      return sql`${value}`;
    case 'date':
      return isCanonicalDate(value) ? sql`${value}::date` : undefined;
    case 'uuid':
      return isCanonicalUuid(value) ? sql`${value}::uuid` : undefined;
    default:
      return undefined;
  }
}

function stringsEqual(a: Term, b: Term): Cond {
  if (a.tag === 'const') return stringsEqual(b, a);
  if (b.tag === 'const') {
    const value = b.value as string;
    if (a.repr === 'datetime') {
      const next = isCanonicalDatetime(value) ? nextMillisecond(value) : undefined;
      // JavaScript sees milliseconds; the column may hold microseconds: match the whole millisecond.
      if (next === undefined) return C.FALSE;
      return C.raw(sql<SqlBool>`(${a.sql} >= ${value}::timestamptz and ${a.sql} < ${next}::timestamptz)`);
    }
    const typed = typedConstant(a, value);
    // A typed column shows only its canonical form: any other string never equals it.
    if (typed === undefined) return C.FALSE;
    return C.raw(sql<SqlBool>`(${a.sql} = ${typed})`);
  }
  if (a.repr === b.repr && (a.repr === 'date' || a.repr === 'uuid' || a.repr === 'text')) return C.raw(sql<SqlBool>`(${a.sql} = ${b.sql})`);
  if (a.repr === 'datetime' && b.repr === 'datetime') {
    return C.raw(sql<SqlBool>`(date_trunc('milliseconds', ${a.sql}) = date_trunc('milliseconds', ${b.sql}))`);
  }
  return C.raw(sql<SqlBool>`(${textOf(a)} = ${textOf(b)})`);
}

/**
 * JavaScript compares strings by UTF-16 code unit; COLLATE "C" compares UTF-8 bytes, which is
 * code point order. They agree except between astral characters (U+10000 and up) and
 * U+E000..U+FFFF.
 */
function stringRelation(op: Relation, a: Term, b: Term): Cond {
  if (a.tag === 'const') return stringRelation(FLIPPED[op], b, a);
  const opSql = sql.raw(op);
  if (b.tag === 'const') {
    const value = b.value as string;
    if (a.repr === 'datetime' && isCanonicalDatetime(value)) {
      const next = nextMillisecond(value);
      if (next !== undefined) {
        // The JavaScript string truncates to the millisecond: compare against whole milliseconds.
        const bound = op === '<' || op === '>=' ? value : next;
        const cmp = op === '<' || op === '<=' ? sql.raw('<') : sql.raw('>=');
        return C.raw(sql<SqlBool>`(${a.sql} ${cmp} ${bound}::timestamptz)`);
      }
    }
    if (a.repr === 'date' || a.repr === 'uuid') {
      const typed = typedConstant(a, value);
      if (typed !== undefined) return C.raw(sql<SqlBool>`(${a.sql} ${opSql} ${typed})`);
    }
    return C.raw(sql<SqlBool>`(${textOf(a)} ${opSql} ${value} collate "C")`);
  }
  if (a.repr === b.repr && (a.repr === 'date' || a.repr === 'uuid')) return C.raw(sql<SqlBool>`(${a.sql} ${opSql} ${b.sql})`);
  if (a.repr === 'datetime' && b.repr === 'datetime') {
    return C.raw(sql<SqlBool>`(date_trunc('milliseconds', ${a.sql}) ${opSql} date_trunc('milliseconds', ${b.sql}))`);
  }
  return C.raw(sql<SqlBool>`(${textOf(a)} ${opSql} ${textOf(b)} collate "C")`);
}

// ---- json ------------------------------------------------------------------------------------

/** `===` with a json value: only against a primitive constant (jsonb equality is then exact). */
function jsonStrictlyEqual(a: Term, b: Term, operation: string): Cond {
  if (a.tag === 'const') return jsonStrictlyEqual(b, a, operation);
  if (b.tag !== 'const') refuseJson(operation);
  const value = b.value;
  if (value === undefined || (value !== null && typeof value === 'object')) return C.FALSE;
  return C.raw(sql<SqlBool>`(${a.sql} = ${JSON.stringify(value)}::jsonb)`);
}
