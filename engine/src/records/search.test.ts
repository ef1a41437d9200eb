import { pinyinQuery, pinyinSearchKey } from '@crm/migrations/search-key';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { recordTable } from '../schema-sync/ddl';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';
import { searchCondition } from './search';

const harness = useTestEngine();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;
const db = (): Db => harness().engine.database.db as unknown as Db;

/** The columns of `table` that have a text search index, from the database's own catalogue. */
async function searchIndexedColumns(table: string): Promise<string[]> {
  const rows = await sql<{ indexdef: string }>`
    select indexdef from pg_indexes where schemaname = 'crm_data' and tablename = ${table} and indexname like 'trg\\_%'`.execute(db());
  return rows.rows.map((r) => /search_text\((\w+)\)/.exec(r.indexdef)?.[1] ?? r.indexdef).sort();
}

/** Lower-cased substring search, as ILIKE does it for the text of these tests (ASCII and Chinese). */
function contains(value: unknown, text: string): boolean {
  return typeof value === 'string' && value.toLowerCase().includes(text.toLowerCase());
}

describe('text search', () => {
  it('finds a text anywhere in any searched field, case-insensitively, in Chinese and English, at any length', async () => {
    const { engine } = harness();
    const name = uniqueName('account');
    await engine.objects.create(systemActor, {
      name,
      label: 'Account',
      title_field: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'email', type: 'email', label: 'Email', searchable: true },
        { name: 'phone', type: 'phone', label: 'Phone', searchable: true },
        { name: 'number', type: 'autonumber', label: 'No.', pattern: 'ACC-{0000}', searchable: true },
        { name: 'note', type: 'textarea', label: 'Note' },
      ],
    });
    const rows = [
      { name: '北京华信科技有限公司', email: 'li.wei@huaxin.com', phone: '13890506002', note: 'Acme' },
      { name: 'HuaXin Trading Co., Ltd.', email: 'sales@hx-trade.cn', phone: '021-5550199', note: '华信' },
      { name: '上海中达物流股份有限公司', email: 'zhang@zhongda.cn', phone: null, note: null },
      { name: 'Acme 折扣50%_专营', email: null, phone: '+86 10 6666 0506', note: null },
      { name: '深圳信达电子', email: 'x_y@acme.com', phone: null, note: 'huaxin' },
    ];
    const created = [];
    for (const row of rows) created.push(await engine.records.create(systemActor, name, row));
    const searched = ['name', 'email', 'phone', 'number'];
    const queries = ['华信', 'HUAXIN', 'huaxin', '华信科技', '信', 'li', '0506', 'acc-0003', 'ACME', '50%', '%_', 'x_y', '达物', 'Co., L', 'ACME 折扣', '中达物流股份', 'nowhere', '华信 '];
    for (const q of queries) {
      const found = await engine.records.list(systemActor, name, { search: q, limit: 50 });
      // ... or, for a text of letters, spelled in pinyin or initials (see pinyin-search.test.ts).
      const letters = pinyinQuery(q.trim());
      const spelled = (value: unknown) => letters !== undefined && (pinyinSearchKey(value) ?? '').includes(letters);
      const expected = created.filter((r) => searched.some((f) => contains(r[f], q.trim()) || spelled(r[f]))).map((r) => r.id);
      expect({ q, ids: found.data.map((r) => r.id).sort() }).toEqual({ q, ids: expected.sort() });
    }
    // Fields that are not searched (note) are not read, whatever they hold.
    expect((await engine.records.list(systemActor, name, { search: 'Acme' })).data.map((r) => r.name).sort()).toEqual(['Acme 折扣50%_专营', '深圳信达电子']);
    // Counts agree with the page.
    expect((await engine.records.list(systemActor, name, { search: '有限公司', count: true })).total).toBe(2);
  });

  it('is answered exactly through the trigram index: the same records as ILIKE, for texts of every kind', async () => {
    const { engine } = harness();
    const name = uniqueName('company');
    await engine.objects.create(systemActor, { name, label: 'Company', title_field: 'title', fields: [{ name: 'title', type: 'text', label: 'Title', max_length: 255 }] });
    // Values over a small alphabet (so that queries hit and miss often): cases, repeated Chinese
    // characters, LIKE's special characters, spaces and punctuation.
    const alphabet = ['a', 'A', 'b', 'x', '1', ' ', '.', '%', '_', '\\', '华', '华', '信', '科', 'É', 'é'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    const values = Array.from({ length: 120 }, () => word(3 + random(12)));
    for (const title of values) await engine.records.create(systemActor, name, { title });
    const queries = [...values.slice(0, 40).map((v) => [...v].slice(random(3), random(3) + 2 + random(5)).join('')), ...Array.from({ length: 40 }, () => word(1 + random(5)))];
    // Forced off the table scan and the list order's index, the planner has to read the trigram
    // index wherever the condition allows it, and its answer must still be ILIKE's.
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        await sql`set local enable_indexscan = off`.execute(trx);
        // Plans priced as disabled would otherwise look expensive enough to be compiled by JIT.
        await sql`set local jit = off`.execute(trx);
        for (const q of queries.map((v) => v.trim()).filter((v) => v !== '')) {
          const viaIndex = await sql<{ title: string }>`select title from ${recordTable(name)} where ${searchCondition(['title'], q)}`.execute(trx);
          const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          const viaIlike = await sql<{ title: string }>`select title from ${recordTable(name)} where title ilike ${pattern}`.execute(trx);
          expect({ q, found: viaIndex.rows.map((r) => r.title).sort() }).toEqual({ q, found: viaIlike.rows.map((r) => r.title).sort() });
        }
      });
  });

  it('keeps a trigram index for each searched field, through every change of what is searched', async () => {
    const { engine } = harness();
    const name = uniqueName('lead');
    await engine.objects.create(systemActor, {
      name,
      label: 'Lead',
      title_field: 'company',
      fields: [
        { name: 'company', type: 'text', label: 'Company' },
        { name: 'contact', type: 'text', label: 'Contact' },
        { name: 'email', type: 'email', label: 'Email', searchable: true },
        { name: 'remark', type: 'textarea', label: 'Remark' },
        { name: 'score', type: 'integer', label: 'Score' },
      ],
    });
    // The title field (unmarked) and the marked field; nothing else.
    expect(await searchIndexedColumns(name)).toEqual(['company', 'email']);
    await engine.records.create(systemActor, name, { company: '华信科技', contact: '李伟', email: 'li@huaxin.com', remark: '12' });

    await engine.fields.create(systemActor, name, { name: 'website', type: 'url', label: 'Website', searchable: true });
    expect(await searchIndexedColumns(name)).toEqual(['company', 'email', 'website']);
    await engine.fields.update(systemActor, name, 'email', { searchable: false });
    expect(await searchIndexedColumns(name)).toEqual(['company', 'website']);
    await engine.fields.update(systemActor, name, 'remark', { searchable: true });
    expect(await searchIndexedColumns(name)).toEqual(['company', 'remark', 'website']);
    // A renamed field keeps its index (it follows the column).
    await engine.fields.update(systemActor, name, 'website', { name: 'homepage' });
    expect(await searchIndexedColumns(name)).toEqual(['company', 'homepage', 'remark']);
    // Unmarked fields follow the title field.
    await engine.objects.update(systemActor, name, { title_field: 'contact' });
    expect(await searchIndexedColumns(name)).toEqual(['contact', 'homepage', 'remark']);
    expect((await engine.records.list(systemActor, name, { search: '李伟' })).data).toHaveLength(1);
    expect((await engine.records.list(systemActor, name, { search: '华信' })).data).toHaveLength(0);
    // A searched text field becoming a number loses its index (it could not hold one) with the conversion.
    await engine.fields.update(systemActor, name, 'remark', { type: 'integer', searchable: null });
    expect(await searchIndexedColumns(name)).toEqual(['contact', 'homepage']);
    // And a text field becoming another text type keeps it.
    await engine.fields.update(systemActor, name, 'homepage', { type: 'text' });
    expect(await searchIndexedColumns(name)).toEqual(['contact', 'homepage']);
    await engine.fields.delete(systemActor, name, 'homepage');
    expect(await searchIndexedColumns(name)).toEqual(['contact']);
    // A field cannot be made searchable when its type is not text.
    await expectCrmError(engine.fields.update(systemActor, name, 'score', { searchable: true }), 'metadata_invalid');
    expect(await searchIndexedColumns(name)).toEqual(['contact']);
  });
});
