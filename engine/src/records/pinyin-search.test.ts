import { searchKeyColumn } from '@crm/migrations/search-key';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { recordTable } from '../schema-sync/ddl';
import { uniqueName, useTestEngine } from '../testing';
import { searchCondition } from './search';

const harness = useTestEngine();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;
const db = (): Db => harness().engine.database.db as unknown as Db;

async function keyColumns(table: string): Promise<string[]> {
  const rows = await sql<{ column_name: string }>`
    select column_name from information_schema.columns where table_schema = 'crm_data' and table_name = ${table} and column_name like '\\_py\\_%'`.execute(db());
  return rows.rows.map((r) => r.column_name).sort();
}

async function fieldId(object: string, field: string): Promise<string> {
  const rows = await sql<{ id: string }>`
    select f.id from crm_meta.fields f join crm_meta.objects o on o.id = f.object_id
    where o.table_name = ${object} and f.name = ${field}`.execute(db());
  return rows.rows[0]!.id;
}

async function names(object: string, search: string): Promise<string[]> {
  const found = await harness().engine.records.list(systemActor, object, { search, limit: 50 });
  return found.data.map((r) => String(r.name)).sort();
}

describe('pinyin search', () => {
  it('finds Chinese names by their pinyin and initials, kept on every write', async () => {
    const { engine } = harness();
    const name = uniqueName('account');
    await engine.objects.create(systemActor, {
      name,
      label: 'Account',
      title_field: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'city', type: 'text', label: 'City', searchable: true },
        { name: 'note', type: 'textarea', label: 'Note' },
      ],
    });
    const huaxin = await engine.records.create(systemActor, name, { name: '华信科技', city: '北京' });
    await engine.records.create(systemActor, name, { name: '中达物流', city: '上海', note: '华信' });
    await engine.records.create(systemActor, name, { name: 'Huaxin Trading', city: null });
    expect(await names(name, 'huaxin')).toEqual(['Huaxin Trading', '华信科技']);
    expect(await names(name, 'hx')).toEqual(['华信科技']);
    expect(await names(name, 'HXKJ')).toEqual(['华信科技']);
    expect(await names(name, 'hua xin')).toEqual(['Huaxin Trading', '华信科技']);
    expect(await names(name, 'beijing')).toEqual(['华信科技']);
    // Not searched (note), not found by its pinyin either; a single letter is plain text search.
    expect(await names(name, 'zdwl')).toEqual(['中达物流']);
    expect(await names(name, 'h')).toEqual(['Huaxin Trading']);
    // The key never leaves the database.
    expect(Object.keys(huaxin).some((k) => k.startsWith('_py_'))).toBe(false);
    expect(Object.keys((await engine.records.list(systemActor, name, {})).data[0]!).some((k) => k.startsWith('_py_'))).toBe(false);

    // Updates (the one-statement form and the locked one) and bulk writes keep the key.
    await engine.records.update(systemActor, name, String(huaxin.id), { name: '恒瑞医药' });
    expect(await names(name, 'hx')).toEqual([]);
    expect(await names(name, 'hryy')).toEqual(['恒瑞医药']);
    await engine.objects.update(systemActor, name, { track_history: true });
    await engine.records.update(systemActor, name, String(huaxin.id), { name: '华信科技' });
    expect(await names(name, 'hx')).toEqual(['华信科技']);
    await engine.records.update(systemActor, name, String(huaxin.id), { name: 'Plain' });
    const key = searchKeyColumn(await fieldId(name, 'name'));
    const stored = await sql<Record<string, string | null>>`select ${sql.ref(key)} as key from ${recordTable(name)} where id = ${huaxin.id}::uuid`.execute(db());
    expect(stored.rows[0]!.key).toBeNull();
  });

  it('keys a field that becomes searched over the records it has, and drops the key with the field', async () => {
    const { engine } = harness();
    const name = uniqueName('lead');
    await engine.objects.create(systemActor, {
      name,
      label: 'Lead',
      title_field: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'contact', type: 'text', label: 'Contact' },
      ],
    });
    await engine.records.create(systemActor, name, { name: 'Lead one', contact: '李伟' });
    expect(await names(name, 'liwei')).toEqual([]);
    const contact = searchKeyColumn(await fieldId(name, 'contact'));
    expect(await keyColumns(name)).toEqual([searchKeyColumn(await fieldId(name, 'name'))]);
    await engine.fields.update(systemActor, name, 'contact', { searchable: true });
    expect(await names(name, 'liwei')).toEqual(['Lead one']);
    expect(await names(name, 'lw')).toEqual(['Lead one']);
    // A rename keeps the key (named by the field's id).
    await engine.fields.update(systemActor, name, 'contact', { name: 'person' });
    expect(await names(name, 'lw')).toEqual(['Lead one']);
    await engine.fields.update(systemActor, name, 'person', { searchable: false });
    expect(await keyColumns(name)).not.toContain(contact);
    await engine.fields.update(systemActor, name, 'person', { searchable: true });
    expect(await keyColumns(name)).toContain(contact);
    // A text cut short by a conversion is keyed again.
    await engine.records.create(systemActor, name, { name: 'Lead two', person: '王芳华' });
    expect(await names(name, 'wfh')).toEqual(['Lead two']);
    await engine.fields.update(systemActor, name, 'person', { max_length: 2 }, { convert: 'truncate' });
    expect(await names(name, 'wfh')).toEqual([]);
    expect(await names(name, 'wf')).toEqual(['Lead two']);
    await engine.fields.delete(systemActor, name, 'person');
    expect(await keyColumns(name)).not.toContain(contact);
  });

  it('reads the key index for initials of two letters', async () => {
    const { engine } = harness();
    const name = uniqueName('firm');
    await engine.objects.create(systemActor, { name, label: 'Firm', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
    for (const n of ['华信科技', '中达物流', '恒瑞医药', 'Acme']) await engine.records.create(systemActor, name, { name: n });
    const key = searchKeyColumn(await fieldId(name, 'name'));
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from ${recordTable(name)} where ${searchCondition(['name'], 'hx', [key])}`.execute(trx);
        expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('pyk_');
      });
  });
});
