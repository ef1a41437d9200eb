import { sql, type Kysely } from 'kysely';

/**
 * Text search (`q`) backed by an index on both databases: pg_trgm (contrib on PostgreSQL, an
 * extension bundle on PGlite), and a GIN trigram index per searched field over its search form,
 * `crm_meta.search_text(value)`:
 *
 * - lower-cased as ILIKE lower-cases both sides (so `search_text(v) like search_text(q)` holds
 *   exactly when `v ilike q`, and the list keeps ILIKE's meaning), and
 * - every character beyond ASCII written twice. Chinese is written without spaces and its words
 *   are mostly two characters long (`华信`), which hold no trigram; doubled (`华华信信`) they hold
 *   two. ASCII text keeps its plain trigrams (doubled it would only have bigrams' selectivity).
 *   Doubling each character is a substitution per character, so a match can start only where a
 *   character of the value starts (or in a run of one repeated character, where it would match
 *   anyway): the pattern stays exact, not merely a candidate filter.
 *
 * An index expression must not change under its rows: this function is never redefined; a new
 * search form would be a new function and a rebuild of the indexes. Its SQL is inlined by the
 * planner, which matches the list's condition to the index expression.
 *
 * Fields of existing databases that text search reads (a text-like type, `searchable`, or unmarked
 * and the object's title field: metadata/searched.ts) get their index here, and their tables new
 * statistics, so that the planner can tell a rare query from a frequent one at once.
 */
const SEARCHED_TYPES = ['text', 'textarea', 'email', 'phone', 'url', 'autonumber'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create function crm_meta.search_text(value text) returns text
    language sql immutable strict parallel safe as
    $$ select regexp_replace(lower(value), '([^\\x01-\\x7f])', '\\1\\1', 'g') $$`.execute(db);
  const searched = await sql<{ id: string; table: string; column: string }>`
    select f.id, o.table_name as table, f.name as column
    from crm_meta.fields f join crm_meta.objects o on o.id = f.object_id
    join pg_tables t on t.schemaname = 'crm_data' and t.tablename = o.table_name
    where f.type = any(${SEARCHED_TYPES}::text[])
      and coalesce((f.definition->>'searchable')::boolean, f.name = o.definition->>'title_field')
    order by o.table_name, f.name`.execute(db);
  for (const { id, table, column } of searched.rows) {
    await sql`
      create index ${sql.id(`trg_${id.replace(/-/g, '')}`)} on crm_data.${sql.id(table)}
      using gin (crm_meta.search_text(${sql.id(column)}) gin_trgm_ops)`.execute(db);
  }
  for (const table of new Set(searched.rows.map((r) => r.table))) await sql`analyze crm_data.${sql.id(table)}`.execute(db);
}

/** The extension stays: other schemas of the database may use it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const indexes = await sql<{ index: string }>`select indexname as index from pg_indexes where schemaname = 'crm_data' and indexname like 'trg\\_%'`.execute(db);
  for (const { index } of indexes.rows) await sql`drop index crm_data.${sql.id(index)}`.execute(db);
  await sql`drop function crm_meta.search_text(text)`.execute(db);
}
