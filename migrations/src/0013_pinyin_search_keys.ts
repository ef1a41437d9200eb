import { sql, type Kysely } from 'kysely';
import { fillSearchKeys, searchKeyColumn, searchKeyIndex, searchKeyText } from './search-key';

/**
 * Pinyin search keys (search-key.ts): every field text search reads gets a key column beside it,
 * `_py_<field id>`, filled for the records it already has that hold Chinese, and a GIN trigram
 * index over the search form of the key or else the value in lower case,
 * `crm_meta.search_key_form(coalesce(key, lower(value)))`: every character written twice, so
 * that a query of two letters (initials such as "hx") holds trigrams (`hhxx`: hhx, hxx) and is
 * read from the index like a longer one. Doubling is a substitution per character, so a match
 * starts only where a character of the key starts: the pattern stays exact (as
 * crm_meta.search_text's, 0012). Values without Chinese need no key: the index reads them as
 * they are, and filling the keys rewrites only the records that hold Chinese.
 *
 * The fields are those 0012 indexed (a text-like type, `searchable`, or unmarked and the object's
 * title field), in live objects and in the recycle bin, so a restored object searches alike.
 */
const SEARCHED_TYPES = ['text', 'textarea', 'email', 'phone', 'url', 'autonumber'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function crm_meta.search_key_form(value text) returns text
    language sql immutable strict parallel safe as
    $$ select regexp_replace(value, '(.)', '\\1\\1', 'g') $$`.execute(db);
  const searched = await sql<{ id: string; table: string; column: string }>`
    select f.id, o.table_name as table, f.name as column
    from crm_meta.fields f join crm_meta.objects o on o.id = f.object_id
    join pg_tables t on t.schemaname = 'crm_data' and t.tablename = o.table_name
    where f.type = any(${SEARCHED_TYPES}::text[])
      and coalesce((f.definition->>'searchable')::boolean, f.name = o.definition->>'title_field')
    order by o.table_name, f.name`.execute(db);
  for (const { id, table, column } of searched.rows) {
    const key = searchKeyColumn(id);
    await sql`alter table crm_data.${sql.id(table)} add column ${sql.id(key)} text`.execute(db);
    await fillSearchKeys(db, table, column, key);
    await sql`create index ${sql.id(searchKeyIndex(id))} on crm_data.${sql.id(table)} using gin ((${searchKeyText(column, key)}) gin_trgm_ops)`.execute(db);
  }
  for (const table of new Set(searched.rows.map((r) => r.table))) await sql`analyze crm_data.${sql.id(table)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const keys = await sql<{ table: string; column: string }>`
    select table_name as table, column_name as column from information_schema.columns
    where table_schema = 'crm_data' and column_name like '\\_py\\_%'`.execute(db);
  for (const { table, column } of keys.rows) await sql`alter table crm_data.${sql.id(table)} drop column ${sql.id(column)}`.execute(db);
  await sql`drop function crm_meta.search_key_form(text)`.execute(db);
}
