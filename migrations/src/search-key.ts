import { sql, type QueryExecutorProvider } from 'kysely';
import { pinyin } from 'pinyin-pro';

/**
 * The pinyin search key of a searched text field (`_py_<field id>` beside its column): what lets
 * text search find 华信科技 by "huaxin" or "hx". For a value holding Chinese characters: their
 * full pinyin without tones or spaces, their initials, then the value itself, lower case
 * (`huaxinkeji hxkj 华信科技`; ü written v as people type it; other characters take no part in
 * the pinyin). Any other value: itself, lower case. Holding the value too, a key answers a search
 * for Latin letters alone - the text of the value and its pinyin - from one index, which reads a
 * text of two letters ("hx") as fast as a longer one (see migration 0013).
 *
 * Kept here, beside the migration that gave existing fields their keys, so that the engine's
 * write pipeline and that migration compute the same key. A change to the key is a new
 * migration recomputing every key.
 */
export function pinyinSearchKey(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const lower = value.toLowerCase();
  if (!HAS_HAN.test(value)) return lower;
  const options = { toneType: 'none', type: 'array', nonZh: 'removed', v: true } as const;
  const full = pinyin(value, options).join('').toLowerCase().replace(/[^a-z]/g, '');
  const initials = pinyin(value, { ...options, pattern: 'first' }).join('').toLowerCase().replace(/[^a-z]/g, '');
  return `${full} ${initials} ${lower}`;
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
 * Computes the key of every record of a table: values of ASCII alone in one UPDATE (their key is
 * the value in lower case, the same in PostgreSQL as here), the others (the only ones that can
 * hold Chinese) here, in batches by id, each one UPDATE.
 */
export async function fillSearchKeys(db: QueryExecutorProvider, table: string, column: string, keyColumn: string): Promise<void> {
  const target = sql.table(`crm_data.${table}`);
  const value = sql.ref(column);
  await sql`update ${target} set ${sql.id(keyColumn)} = lower(${value}) where ${value} <> '' and ${value} !~ ${BEYOND_ASCII}`.execute(db);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await sql<{ id: string; value: string }>`
      select id, ${value} as value from ${target}
      where id > ${after}::uuid and ${value} ~ ${BEYOND_ASCII}
      order by id limit ${BATCH}`.execute(db);
    if (batch.rows.length === 0) return;
    const ids = batch.rows.map((r) => r.id);
    const keys = batch.rows.map((r) => pinyinSearchKey(r.value));
    await sql`
      update ${target} as t set ${sql.id(keyColumn)} = k.key
      from (select unnest(${ids}::uuid[]) as id, unnest(${keys}::text[]) as key) as k
      where t.id = k.id`.execute(db);
    after = ids[ids.length - 1]!;
  }
}

const BEYOND_ASCII = '[^\x01-\x7f]';
