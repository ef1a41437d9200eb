import { sql, type QueryExecutorProvider, type RawBuilder } from 'kysely';
import { pinyin } from 'pinyin-pro';

/**
 * The pinyin search key of a searched text field (`_py_<field id>` beside its column): what lets
 * text search find 华信科技 by "huaxin" or "hx". For a value holding Chinese characters: their
 * full pinyin without tones or spaces, their initials, then the value itself, lower case
 * (`huaxinkeji hxkj 华信科技`; ü written v as people type it; other characters take no part in
 * the pinyin). Any other value has no key (null): it stands for itself. The key's index is over
 * `coalesce(key, lower(value))` (see searchKeyText), so it holds every value's text too and
 * answers a search for Latin letters alone - a value's text and its pinyin - from one index,
 * which reads a text of two letters ("hx") as fast as a longer one (see migration 0013).
 *
 * Kept here, beside the migration that gave existing fields their keys, so that the engine's
 * write pipeline and that migration compute the same key. A change to the key is a new
 * migration recomputing every key.
 */
export function pinyinSearchKey(value: unknown): string | null {
  if (typeof value !== 'string' || !HAS_HAN.test(value)) return null;
  const options = { toneType: 'none', type: 'array', nonZh: 'removed', v: true } as const;
  const full = pinyin(value, options).join('').toLowerCase().replace(/[^a-z]/g, '');
  const initials = pinyin(value, { ...options, pattern: 'first' }).join('').toLowerCase().replace(/[^a-z]/g, '');
  return `${full} ${initials} ${value.toLowerCase()}`;
}

/**
 * What the key index holds and a search reads, for a column and its key column: the key, or
 * else the value in lower case; written twice over (crm_meta.search_key_form, migration 0013).
 * The index expression and the condition are this same SQL, so the planner matches them.
 */
export function searchKeyText(column: string, keyColumn: string): RawBuilder<string> {
  return sql<string>`crm_meta.search_key_form(coalesce(${sql.ref(keyColumn)}, lower(${sql.ref(column)})))`;
}

const HAS_HAN = /\p{Script=Han}/u;

/** Field names start with a letter, so a key column never meets a field's. */
export const SEARCH_KEY_PREFIX = '_py_';

export function searchKeyColumn(fieldId: string): string {
  return `${SEARCH_KEY_PREFIX}${fieldId.replace(/-/g, '')}`;
}

export function searchKeyIndex(fieldId: string): string {
  return `pyk_${fieldId.replace(/-/g, '')}`;
}

/**
 * What a search text looks for in the keys: its letters without spaces, lower case, when it is
 * nothing but (Latin) letters and spaces, at least two letters (one letter would be every name
 * holding it).
 */
export function pinyinQuery(text: string): string | undefined {
  const letters = text.toLowerCase().replace(/\s+/g, '').replace(/ü/g, 'v');
  return /^[a-z]{2,}$/.test(letters) ? letters : undefined;
}

const BATCH = 2000;

/**
 * Computes the key of every record of a table whose value holds Chinese (only values beyond
 * ASCII are read; the others have no key), in batches by id, each one UPDATE.
 */
export async function fillSearchKeys(db: QueryExecutorProvider, table: string, column: string, keyColumn: string): Promise<void> {
  const target = sql.table(`crm_data.${table}`);
  const value = sql.ref(column);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await sql<{ id: string; value: string }>`
      select id, ${value} as value from ${target}
      where id > ${after}::uuid and ${value} ~ ${BEYOND_ASCII}
      order by id limit ${BATCH}`.execute(db);
    if (batch.rows.length === 0) return;
    after = batch.rows[batch.rows.length - 1]!.id;
    const keyed = batch.rows.map((r) => ({ id: r.id, key: pinyinSearchKey(r.value) })).filter((r) => r.key !== null);
    if (keyed.length === 0) continue;
    await sql`
      update ${target} as t set ${sql.id(keyColumn)} = k.key
      from (select unnest(${keyed.map((r) => r.id)}::uuid[]) as id, unnest(${keyed.map((r) => r.key)}::text[]) as key) as k
      where t.id = k.id`.execute(db);
  }
}

const BEYOND_ASCII = '[^\\x01-\\x7f]';
