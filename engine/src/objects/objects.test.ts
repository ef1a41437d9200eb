import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function tableExists(name: string): Promise<boolean> {
  const { engine } = harness();
  const result = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'crm_data' and table_name = ${name}`.execute(engine.database.db);
  return result.rows[0]!.n === 1;
}

async function revision(): Promise<number> {
  const { engine } = harness();
  const row = await engine.database.db.selectFrom('crm_meta.state').select('revision').executeTakeFirstOrThrow();
  return Number(row.revision);
}

describe('objects', () => {
  it('creates an object as a real table with the system columns and bumps the revision', async () => {
    const { engine } = harness();
    const name = uniqueName('deal');
    const before = await revision();
    const created = await engine.objects.create(systemActor, {
      name,
      label: { en: 'Deal', 'zh-CN': '交易' },
      plural_label: { en: 'Deals', 'zh-CN': '交易' },
      title_field: 'title',
      fields: [{ name: 'title', type: 'text', label: 'Title', required: true }],
    });
    expect(created.revision).toBe(before + 1);
    expect(await tableExists(name)).toBe(true);
    const columns = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns where table_schema = 'crm_data' and table_name = ${name} order by ordinal_position`.execute(
      engine.database.db,
    );
    // The title field is searched: beside it, its pinyin search key (records/search.ts), named by its id.
    expect(columns.rows.map((c) => c.column_name.replace(/^_py_[0-9a-f]{32}$/, '_py_'))).toEqual(['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at', 'title', '_py_']);
    expect(await engine.objects.get(systemActor, name)).toMatchObject({ name, title_field: 'title' });
  });

  it('refuses bad API names, reserved words and taken names, changing nothing', async () => {
    const { engine } = harness();
    const before = await revision();
    for (const name of ['Deal', '1deal', 'deal-x', 'select', 'user', 'a'.repeat(64), '', 'deal__x', 'pg_stuff']) {
      await expectCrmError(engine.objects.create(systemActor, { name, label: 'X' }), 'invalid_api_name');
    }
    const name = uniqueName('dup');
    await engine.objects.create(systemActor, { name, label: 'Dup' });
    const error = await expectCrmError(engine.objects.create(systemActor, { name, label: 'Dup again' }), 'name_taken');
    expect(error.status).toBe(409);
    expect(await revision()).toBe(before + 1);
  });

  it('refuses an object document with unknown properties or a missing label', async () => {
    const { engine } = harness();
    const unknown = await expectCrmError(engine.objects.create(systemActor, { name: uniqueName('x'), label: 'X', colour: 'red' } as never), 'metadata_invalid');
    expect(unknown.fields.map((f) => f.path)).toContain('colour');
    const missing = await expectCrmError(engine.objects.create(systemActor, { name: uniqueName('x') } as never), 'metadata_invalid');
    expect(missing.fields.map((f) => f.path)).toContain('label');
    await expectCrmError(engine.objects.create(systemActor, { name: uniqueName('x'), label: 'X', title_field: 'nope' }), 'metadata_invalid');
  });

  it('rolls back the whole object when one of its fields is invalid', async () => {
    const { engine } = harness();
    const name = uniqueName('partial');
    const before = await revision();
    await expectCrmError(
      engine.objects.create(systemActor, {
        name,
        label: 'Partial',
        fields: [
          { name: 'ok', type: 'text', label: 'OK' },
          { name: 'bad', type: 'lookup', label: 'Bad', target: 'no_such_object' },
        ],
      }),
      'metadata_invalid',
    );
    expect(await tableExists(name)).toBe(false);
    expect(await revision()).toBe(before);
    await expectCrmError(engine.objects.get(systemActor, name), 'object_not_found');
  });

  it('renames an object with data: table, API name and lookups pointing at it follow', async () => {
    const { engine } = harness();
    const account = uniqueName('acct');
    const contact = uniqueName('contact');
    await engine.objects.create(systemActor, { name: account, label: 'Account', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
    await engine.objects.create(systemActor, {
      name: contact,
      label: 'Contact',
      fields: [{ name: 'account', type: 'lookup', label: 'Account', target: account }],
    });
    const a = await engine.records.create(systemActor, account, { name: 'Acme' });
    const c = await engine.records.create(systemActor, contact, { account: a.id });
    const renamed = `${account}_new`;
    await engine.objects.update(systemActor, account, { name: renamed, label: { en: 'Company', 'zh-CN': '公司' } });
    expect(await tableExists(account)).toBe(false);
    expect(await tableExists(renamed)).toBe(true);
    expect((await engine.fields.get(systemActor, contact, 'account')) as { target: string }).toMatchObject({ target: renamed });
    expect(await engine.records.get(systemActor, renamed, a.id as string)).toMatchObject({ name: 'Acme' });
    expect(await engine.records.get(systemActor, contact, c.id as string)).toMatchObject({ account: a.id });
    await expectCrmError(engine.records.create(systemActor, contact, { account: '00000000-0000-4000-8000-000000000000' }), 'validation_failed');
  });

  it('deletes an object to the recycle bin keeping its data, restores it, and purges it', async () => {
    const { engine } = harness();
    const name = uniqueName('bin');
    await engine.objects.create(systemActor, { name, label: 'Bin', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
    const record = await engine.records.create(systemActor, name, { name: 'kept' });
    await engine.objects.delete(systemActor, name);
    await expectCrmError(engine.objects.get(systemActor, name), 'object_not_found');
    await expectCrmError(engine.records.list(systemActor, name), 'object_not_found');
    expect((await engine.objects.listDeleted(systemActor)).map((o) => o.name)).toContain(name);
    await engine.objects.restore(systemActor, name);
    expect(await engine.records.get(systemActor, name, record.id as string)).toMatchObject({ name: 'kept' });
    await engine.objects.delete(systemActor, name);
    await engine.objects.purge(systemActor, name);
    expect((await engine.objects.listDeleted(systemActor)).map((o) => o.name)).not.toContain(name);
    await expectCrmError(engine.objects.restore(systemActor, name), 'object_not_found');
  });

  it('refuses to delete an object that another object looks up, naming the dependent', async () => {
    const { engine } = harness();
    const parent = uniqueName('parent');
    const child = uniqueName('child');
    await engine.objects.create(systemActor, { name: parent, label: 'Parent' });
    await engine.objects.create(systemActor, { name: child, label: 'Child', fields: [{ name: 'parent', type: 'lookup', label: 'P', target: parent }] });
    const error = await expectCrmError(engine.objects.delete(systemActor, parent), 'dependency_exists');
    expect(error.message).toContain(`${child}.parent`);
    expect(await tableExists(parent)).toBe(true);
  });

  it('refuses a restore while another live object took the name', async () => {
    const { engine } = harness();
    const name = uniqueName('again');
    await engine.objects.create(systemActor, { name, label: 'First' });
    await engine.objects.delete(systemActor, name);
    await engine.objects.create(systemActor, { name, label: 'Second' });
    await expectCrmError(engine.objects.restore(systemActor, name), 'name_taken');
  });

  it('requires an actor on every call', async () => {
    const { engine } = harness();
    await expectCrmError(engine.objects.list(undefined as never), 'actor_required');
    await expectCrmError(engine.objects.list({ kind: 'user', userId: 'not-a-uuid' } as never), 'actor_invalid');
  });
});
