import { sql, type RawBuilder, type SqlBool } from 'kysely';
import * as C from './cond';
import type { Cond } from './cond';
import { strictlyEqual } from './js-compare';
import { isCanonicalDate, isCanonicalDatetime, isCanonicalUuid } from './literal-forms';
import { constTerm, textOf, type Sql, type Term } from './terms';

const asBool = (s: Sql) => s as RawBuilder<SqlBool>;

/** indexOf over literal items for a non-null value (or a constant): strict equality with any. */
export function equalsAnyLiteral(value: Term, items: readonly unknown[]): Cond {
  if (value.tag === 'const') return C.constant(items.includes(value.value) && !Number.isNaN(value.value));
  switch (value.cls) {
    case 'number': {
      const numbers = items.filter((i): i is number => typeof i === 'number');
      if (numbers.length === 0) return C.FALSE;
      if (numbers.length === 1) return strictlyEqual(value, constTerm(numbers[0]));
      const smallIntegers = numbers.every((n) => Number.isSafeInteger(n) && Math.abs(n) < 2 ** 31 && !Object.is(n, -0));
      const list = smallIntegers ? sql`${numbers}` : sql`${numbers.map(String)}::numeric[]`;
      return C.raw(sql<SqlBool>`(${value.sql} = any(${list}))`);
    }
    case 'boolean': {
      const t = items.includes(true);
      const f = items.includes(false);
      return t && f ? C.TRUE : t ? C.raw(asBool(value.sql)) : f ? C.not(C.raw(asBool(value.sql))) : C.FALSE;
    }
    case 'string': {
      const strings = items.filter((i): i is string => typeof i === 'string');
      if (strings.length <= 1) return strings.length === 0 ? C.FALSE : strictlyEqual(value, constTerm(strings[0]));
      switch (value.repr) {
        case 'text':
          return C.raw(sql<SqlBool>`(${value.sql} = any(${strings}::text[]))`);
        case 'date':
          return anyOf(value.sql, strings.filter(isCanonicalDate), 'date');
        case 'uuid':
          return anyOf(value.sql, strings.filter(isCanonicalUuid), 'uuid');
        case 'datetime':
          return anyOf(sql`date_trunc('milliseconds', ${value.sql})`, strings.filter(isCanonicalDatetime), 'timestamptz');
        default:
          return C.raw(sql<SqlBool>`(${textOf(value)} = any(${strings}::text[]))`);
      }
    }
    case 'json':
      return C.or(...items.map((item) => strictlyEqual(value, constTerm(item), 'in')));
    default:
      return C.FALSE; // arrays: a literal is never the same object
  }
}

function anyOf(column: Sql, values: string[], type: 'date' | 'uuid' | 'timestamptz'): Cond {
  if (values.length === 0) return C.FALSE;
  return C.raw(sql<SqlBool>`(${column} = any(${values}::${sql.raw(type)}[]))`);
}
