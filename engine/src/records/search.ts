import { pinyinQuery, searchKeyText } from '@crm/migrations/search-key';
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Text search (`q`): records whose searched fields contain the text, case-insensitively, `%` and
 * `_` meaning themselves - ILIKE over each searched column. What makes it fast is the trigram
 * index over each searched field's search form (migration 0012, crm_meta.search_text: lower
 * case, characters beyond ASCII written twice), which a second condition over the same form
 * lets the planner use:
 *
 *   (name ilike '%华信%' or email ilike '%华信%')::int <> 0
 *   and (search_text(name) like '%华华信信%' or search_text(email) like '%华华信信%')
 *
 * The second condition holds exactly when the first does (see the migration), so neither
 * changes the result. The planner estimates how many records match from the second alone,
 * sampling the stored search forms (statistics of the index expression): a rare text is read
 * from the index and sorted, a frequent one found by walking the list's order. The first is
 * kept because walking costs less with it: ILIKE is evaluated before the search forms are
 * computed, and the int comparison keeps the planner from counting the same selectivity twice.
 *
 * A search form under three characters holds no trigram (one character, or two ASCII ones): such
 * texts are plain ILIKE, walked in the list's order, which finds a page at once when they are
 * frequent and reads the table when they are rare.
 */

/** `%`, `_` and the escape character itself are literals in the pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** How long crm_meta.search_text makes a text: characters beyond ASCII are written twice. */
function searchFormLength(text: string): number {
  let length = 0;
  for (const character of text) length += character.codePointAt(0)! > 0x7f ? 2 : 1;
  return length;
}

/**
 * What a text search adds to a list's WHERE, over the searched columns the caller may see and
 * their pinyin search keys (`keys`, same order; see migrations/search-key.ts). A text of Latin
 * letters also finds records whose Chinese values it spells in pinyin or initials ("huaxin",
 * "hx" find 华信科技): `search_key_form(coalesce(key, lower(value))) like '%hhxx%'`, read from
 * each key's trigram index (migration 0013). A text of letters alone is answered by the keys
 * only: the key index holds every value's text in lower case too, so it finds what ILIKE finds,
 * from an index even at two letters, where the value's own trigram index has nothing to look up.
 * Otherwise the planner reads both kinds of index as one bitmap OR.
 */
export function searchCondition(columns: readonly string[], text: string, keys: readonly string[] = []): RawBuilder<SqlBool> {
  const letters = keys.length > 0 ? pinyinQuery(text) : undefined;
  if (letters === undefined) return textCondition(columns, text);
  const form = sql`'%' || crm_meta.search_key_form(${letters}) || '%'`;
  const spelled = sql<SqlBool>`(${sql.join(
    keys.map((k, i) => sql`${searchKeyText(columns[i]!, k)} like ${form}`),
    sql` or `,
  )})`;
  if (LETTERS.test(text)) return spelled;
  return sql<SqlBool>`(${textCondition(columns, text)} or ${spelled})`;
}

const LETTERS = /^[a-z]+$/i;

function textCondition(columns: readonly string[], text: string): RawBuilder<SqlBool> {
  const literal = escapeLike(text);
  const ilike = sql.join(
    columns.map((c) => sql`${sql.ref(c)} ilike ${`%${literal}%`}`),
    sql` or `,
  );
  if (searchFormLength(text) < 3) return sql<SqlBool>`(${ilike})`;
  const form = sql`'%' || crm_meta.search_text(${literal}) || '%'`;
  const indexed = sql.join(
    columns.map((c) => sql`crm_meta.search_text(${sql.ref(c)}) like ${form}`),
    sql` or `,
  );
  return sql<SqlBool>`((${ilike})::int <> 0 and (${indexed}))`;
}
