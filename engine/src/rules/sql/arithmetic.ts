import { sql } from 'kysely';
import { reason } from '../../errors';
import { refuse } from './refuse';
import { constTerm, float8Param, textOf, type ConstValue, type Sql, type Term } from './terms';

/**
 * The value operations json-logic-js computes in double precision, in SQL: float8 arithmetic
 * through crm_meta.js_add/js_sub/js_mul (which overflow to Infinity instead of raising), with
 * parseFloat (+, *) and ToNumber (-, min, max) conversions of the operands.
 */

export type ArithmeticOperation = '+' | '-' | '*' | 'min' | 'max';

/** + - * min max over translated operands, as json-logic-js computes them. */
export function arithmeticTerm(operation: ArithmeticOperation, terms: readonly Term[]): Term {
  if (operation === '*' && terms.length === 1) return terms[0]!; // reduce of one item: untouched
  if (operation === '*' && terms.length === 0) refuse(reason('sql_empty_product', { operation: '*' }));
  if (operation === '-') {
    const [a, b] = terms.map(toNumberOf);
    const x = a ?? { tag: 'const' as const, value: Number.NaN };
    if (terms.length < 2) return numTerm(x.tag === 'const' ? { tag: 'const', value: -x.value } : { tag: 'sql', sql: sql`(- ${x.sql})` });
    return numTerm(binary('js_sub', x, b!, (p, q) => p - q));
  }
  if (operation === 'min' || operation === 'max') {
    const values = terms.map(toNumberOf);
    if (values.every((v) => v.tag === 'const')) return constTerm((operation === 'min' ? Math.min : Math.max)(...values.map((v) => v.value as number)));
    const list = sql.join(values.map(float8Of));
    // greatest() yields NaN if any is NaN (NaN sorts highest), as Math.max does; least() must be told.
    return numTerm({
      tag: 'sql',
      sql: operation === 'max' ? sql`greatest(${list})` : sql`(case when greatest(${list}) = 'NaN'::float8 then 'NaN'::float8 else least(${list}) end)`,
    });
  }
  const values = terms.map(parseFloatOf);
  if (operation === '+') {
    let sum: Arith = { tag: 'const', value: 0 };
    for (const v of values) sum = binary('js_add', sum, v, (p, q) => p + q);
    return numTerm(sum);
  }
  let product = binary('js_mul', values[0]!, values[1]!, (p, q) => p * q);
  for (const v of values.slice(2)) product = binary('js_mul', product, v, (p, q) => p * q);
  return numTerm(product);
}

/** `cat`: Array.prototype.join("") of the operands. */
export function concatenationTerm(terms: readonly Term[]): Term {
  if (terms.every((t) => t.tag === 'const')) return constTerm(terms.map((t) => (t as ConstValue).value).join(''));
  const parts = terms.map((t) => {
    if (t.tag === 'const') return sql`${[t.value].join('')}::text`;
    if (t.cls === 'json') refuse(reason('sql_format_json', { operation: 'cat' }));
    return textOf(t); // NULL for null, which concat() skips as join() does
  });
  return { tag: 'sql', cls: 'string', repr: 'text', sql: sql`concat(${sql.join(parts)})`, nullable: false };
}

/** A float8 number in SQL: NaN is a value, never NULL. */
type Arith = { readonly tag: 'const'; readonly value: number } | { readonly tag: 'sql'; readonly sql: Sql };

function numTerm(n: Arith): Term {
  return n.tag === 'const' ? constTerm(n.value) : { tag: 'sql', cls: 'number', repr: 'number', sql: n.sql, nullable: false };
}

export function float8Of(n: Arith): Sql {
  return n.tag === 'const' ? float8Param(n.value) : n.sql;
}

function binary(fn: 'js_add' | 'js_sub' | 'js_mul', a: Arith, b: Arith, js: (p: number, q: number) => number): Arith {
  if (a.tag === 'const' && b.tag === 'const') return { tag: 'const', value: js(a.value, b.value) };
  return { tag: 'sql', sql: sql`crm_meta.${sql.raw(fn)}(${float8Of(a)}, ${float8Of(b)})` };
}

/** parseFloat(value), as json-logic-js's + and * apply it. */
export function parseFloatOf(term: Term): Arith {
  if (term.tag === 'const') return { tag: 'const', value: parseFloat(term.value as string) };
  switch (term.cls) {
    case 'number':
      return { tag: 'sql', sql: term.nullable ? sql`coalesce((${term.sql})::float8, 'NaN'::float8)` : sql`(${term.sql})::float8` };
    case 'boolean':
      return { tag: 'const', value: Number.NaN }; // parseFloat("true"), parseFloat(null)
    case 'json':
      return refuse(reason('sql_convert_json_two', { first: '+', second: '*' }));
    default:
      return { tag: 'sql', sql: sql`coalesce(crm_meta.js_parse_float(${textOf(term)}), 'NaN'::float8)` };
  }
}

/** ToNumber(value), as -, min and max apply it (null is 0). */
export function toNumberOf(term: Term): Arith {
  if (term.tag === 'const') return { tag: 'const', value: Number(term.value) };
  const nullToZero = (s: Sql) => (term.nullable ? sql`(case when ${term.sql} is null then 0::float8 else ${s} end)` : s);
  switch (term.repr) {
    case 'number':
      return { tag: 'sql', sql: term.nullable ? sql`coalesce((${term.sql})::float8, 0::float8)` : sql`(${term.sql})::float8` };
    case 'boolean':
      return { tag: 'sql', sql: term.nullable ? sql`coalesce((${term.sql})::int, 0)::float8` : sql`(${term.sql})::int::float8` };
    case 'text':
    case 'text_array':
      return { tag: 'sql', sql: nullToZero(sql`coalesce(crm_meta.js_to_number(${textOf(term)}), 'NaN'::float8)`) };
    case 'jsonb':
      return refuse(reason('sql_convert_json_three', { first: '-', second: 'min', third: 'max' }));
    default:
      return term.nullable ? { tag: 'sql', sql: nullToZero(sql`'NaN'::float8`) } : { tag: 'const', value: Number.NaN };
  }
}
