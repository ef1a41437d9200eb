import { sql, type RawBuilder, type SqlBool } from 'kysely';
import * as C from './cond';
import type { Cond } from './cond';
import type { SqlValue } from './terms';

const asBool = (s: unknown) => s as RawBuilder<SqlBool>;

/** JSON-Logic truthiness of a non-null SQL value (null itself is falsy, handled by the caller). */
export function truthySql(value: SqlValue): Cond {
  switch (value.repr) {
    case 'number':
      return C.raw(sql<SqlBool>`(${value.sql} <> 0 and ${value.sql} < 'NaN'::numeric)`);
    case 'text':
      return C.raw(sql<SqlBool>`(${value.sql} <> '')`);
    case 'boolean':
      return C.raw(asBool(value.sql));
    case 'text_array':
      return C.raw(sql<SqlBool>`(cardinality(${value.sql}) > 0)`);
    case 'jsonb':
      return C.raw(sql<SqlBool>`(case jsonb_typeof(${value.sql})
        when 'boolean' then ${value.sql} = 'true'::jsonb
        when 'number' then ${value.sql} <> '0'::jsonb
        when 'string' then ${value.sql} <> '""'::jsonb
        when 'array' then jsonb_array_length(${value.sql}) > 0
        else jsonb_typeof(${value.sql}) = 'object' end)`);
    default:
      return C.TRUE; // uuid, date and datetime strings are never empty
  }
}
