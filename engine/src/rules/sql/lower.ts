import { sql } from 'kysely';
import { reason } from '../../errors';
import { asciiLower } from '../js-runtime';
import { refuse } from './refuse';
import { constTerm, textOf, type Term } from './terms';

/**
 * `lower` in SQL: String(value) with ASCII A-Z mapped to a-z, null staying null (js-runtime's
 * asciiLower). translate() replaces exactly those 26 characters whatever the database's locale,
 * where lower() and ILIKE would also fold É or Ä as the collation says (and PGlite and
 * PostgreSQL may say differently). The letters are written into the SQL, not bound, so an
 * expression index on the same translate(...) could serve it.
 */
export function lowerTerm(term: Term): Term {
  if (term.tag === 'const') return constTerm(asciiLower(term.value));
  if (term.cls === 'json') refuse(reason('sql_format_json', { operation: 'lower' }));
  const folded = sql`translate(${textOf(term)}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;
  return { tag: 'sql', cls: 'string', repr: 'text', sql: folded, nullable: term.nullable };
}
