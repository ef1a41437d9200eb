import { searchKeyColumn } from '@crm/migrations/search-key';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { searchCondition } from '../records/search';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { migrateToLatest, openUnmigrated, type Database } from './open-database';

/**
 * A database made by an earlier release is brought up to date at start-up: the migrations after
 * its last one run over the data it holds (record tables included), not only over empty schemas.
 */
let test: TestDatabase | undefined;
let database: Database | undefined;

afterAll(async () => {
  await database?.close();
  await test?.drop();
});

describe('upgrading a database made before the scope functions (0011)', () => {
  it('rebuilds record tables owner indexes and fills the subtree owners of existing departments', async () => {
    test = await createTestDatabase({ migrated: false });
    database = await openUnmigrated(test.options);
    const db = database.db;
    await migrateToLatest(db, '0010_workflows');
    // What 0010 left: departments with users, a record table with the old owner index.
    const ids = { root: '01900000-0000-7000-8000-000000000001', child: '01900000-0000-7000-8000-000000000002', a: '01900000-0000-7000-8000-00000000000a', b: '01900000-0000-7000-8000-00000000000b' };
    await sql`insert into crm_meta.departments (id, name, parent_id) values (${ids.root}::uuid, 'Root', null)`.execute(db);
    await sql`insert into crm_meta.departments (id, name, parent_id) values (${ids.child}::uuid, 'Child', ${ids.root}::uuid)`.execute(db);
    await sql`insert into crm_meta.users (id, name, department_id) values (${ids.a}::uuid, 'A', ${ids.root}::uuid), (${ids.b}::uuid, 'B', ${ids.child}::uuid)`.execute(db);
    await sql`create table crm_data.old_deal (id uuid primary key, created_at timestamptz(3) not null default now(), owner_id uuid not null, amount numeric(18,2), tags text[])`.execute(db);
    await sql`create index own_0123456789abcdef0123456789abcdef on crm_data.old_deal (owner_id, created_at)`.execute(db);
    const object = '01900000-0000-7000-8000-0000000000f0';
    await sql`insert into crm_meta.objects (id, name, table_name, definition) values (${object}::uuid, 'old_deal', 'old_deal', '{}'::jsonb)`.execute(db);
    const field = (id: string, name: string, type: string) =>
      sql`insert into crm_meta.fields (id, object_id, name, type, position, definition) values (${id}::uuid, ${object}::uuid, ${name}, ${type}, 1, ${JSON.stringify({ name, type, indexed: true })}::jsonb)`.execute(db);
    await field('01900000-0000-7000-8000-0000000000f1', 'amount', 'currency');
    await field('01900000-0000-7000-8000-0000000000f2', 'tags', 'multiselect');

    await migrateToLatest(db);
    const index = await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = 'crm_data' and indexname = 'own_0123456789abcdef0123456789abcdef'`.execute(db);
    expect(index.rows[0]?.indexdef).toContain('(owner_id, created_at DESC, id)');
    // An indexed field gets its owner-first index; a multiselect (looked up by value) does not.
    const ownerFirst = await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = 'crm_data' and indexname like 'oix%'`.execute(db);
    expect(ownerFirst.rows.map((r) => r.indexdef.replace(/^.*\(/, '('))).toEqual(['(owner_id, amount)']);
    const owners = await sql<{ department_id: string; owners: string[] }>`select department_id, owners from crm_meta.department_subtree_owners`.execute(db);
    const byDepartment = new Map(owners.rows.map((r) => [r.department_id, [...r.owners].sort()]));
    expect(byDepartment.get(ids.root)).toEqual([ids.a, ids.b]);
    expect(byDepartment.get(ids.child)).toEqual([ids.b]);

    // And kept from then on: a new user, a user moving, a department moving.
    const c = '01900000-0000-7000-8000-00000000000c';
    await sql`insert into crm_meta.users (id, name, department_id) values (${c}::uuid, 'C', ${ids.child}::uuid)`.execute(db);
    await sql`update crm_meta.users set department_id = ${ids.child}::uuid where id = ${ids.a}::uuid`.execute(db);
    const other = '01900000-0000-7000-8000-000000000003';
    await sql`insert into crm_meta.departments (id, name, parent_id) values (${other}::uuid, 'Other', null)`.execute(db);
    const read = async () => {
      const rows = await sql<{ department_id: string; owners: string[] }>`select department_id, owners from crm_meta.department_subtree_owners`.execute(db);
      return new Map(rows.rows.map((r) => [r.department_id, [...r.owners].sort()]));
    };
    let now = await read();
    expect(now.get(ids.root)).toEqual([ids.a, ids.b, c].sort());
    expect(now.get(ids.child)).toEqual([ids.a, ids.b, c].sort());
    expect(now.get(other)).toEqual([]);
    await sql`update crm_meta.departments set parent_id = ${other}::uuid where id = ${ids.child}::uuid`.execute(db);
    now = await read();
    expect(now.get(ids.root)).toEqual([]);
    expect(now.get(other)).toEqual([ids.a, ids.b, c].sort());
    await sql`delete from crm_meta.users where id = ${c}::uuid`.execute(db);
    expect((await read()).get(other)).toEqual([ids.a, ids.b].sort());
  });
});

describe('upgrading a database made before text search indexes (0012)', () => {
  let before: TestDatabase | undefined;
  let opened: Database | undefined;
  afterAll(async () => {
    await opened?.close();
    await before?.drop();
  });

  it('gives every field that text search reads a trigram index, in live objects and in the recycle bin', async () => {
    before = await createTestDatabase();
    opened = await openUnmigrated(before.options);
    const db = opened.db;
    await migrateToLatest(db, '0011_scope_functions');
    const object = async (id: string, name: string, table: string, titleField: string, deleted: boolean) => {
      await sql`create table crm_data.${sql.id(table)} (id uuid primary key, created_at timestamptz(3) not null default now(), deleted_at timestamptz(3), name text, email text, note text, code text)`.execute(db);
      await sql`insert into crm_meta.objects (id, name, table_name, definition, deleted_at) values (${id}::uuid, ${name}, ${table}, ${JSON.stringify({ name, label: name, title_field: titleField })}::jsonb, ${deleted ? new Date().toISOString() : null})`.execute(db);
    };
    const field = (objectId: string, id: string, name: string, type: string, extra: Record<string, unknown> = {}) =>
      sql`insert into crm_meta.fields (id, object_id, name, type, position, definition) values (${id}::uuid, ${objectId}::uuid, ${name}, ${type}, 1, ${JSON.stringify({ name, type, label: name, ...extra })}::jsonb)`.execute(db);
    const live = '01900000-0000-7000-8000-0000000001f0';
    await object(live, 'old_account', 'old_account', 'name', false);
    await field(live, '01900000-0000-7000-8000-0000000001f1', 'name', 'text');
    await field(live, '01900000-0000-7000-8000-0000000001f2', 'email', 'email', { searchable: true });
    await field(live, '01900000-0000-7000-8000-0000000001f3', 'note', 'textarea');
    await field(live, '01900000-0000-7000-8000-0000000001f4', 'code', 'text', { searchable: false });
    const binned = '01900000-0000-7000-8000-0000000002f0';
    await object(binned, 'old_lead', '_deleted_019000000000700080000000000002f0', 'code', true);
    await field(binned, '01900000-0000-7000-8000-0000000002f1', 'code', 'text');
    await sql`insert into crm_data.old_account (id, name, email, note) values (gen_random_uuid(), '北京华信科技有限公司', 'li@huaxin.com', '华信'), (gen_random_uuid(), 'Acme', null, null)`.execute(db);

    await migrateToLatest(db);
    const indexes = await sql<{ tablename: string; indexname: string; indexdef: string }>`
      select tablename, indexname, indexdef from pg_indexes where schemaname = 'crm_data' and indexname like 'trg\\_%' order by indexname`.execute(db);
    expect(indexes.rows.map((r) => [r.tablename, r.indexname, /search_text\((\w+)\) gin_trgm_ops/.exec(r.indexdef)?.[1]])).toEqual([
      ['old_account', 'trg_019000000000700080000000000001f1', 'name'],
      ['old_account', 'trg_019000000000700080000000000001f2', 'email'],
      ['_deleted_019000000000700080000000000002f0', 'trg_019000000000700080000000000002f1', 'code'],
    ]);
    const found = await sql<{ name: string }>`select name from crm_data.old_account where ${searchCondition(['name', 'email'], '华信')}`.execute(db);
    expect(found.rows).toEqual([{ name: '北京华信科技有限公司' }]);

    // 0013 gives the same fields their pinyin search keys, filled for the records they hold.
    const keys = [searchKeyColumn('01900000-0000-7000-8000-0000000001f1'), searchKeyColumn('01900000-0000-7000-8000-0000000001f2')];
    const keyed = await sql<{ name: string; key: string | null }>`select name, ${sql.ref(keys[0]!)} as key from crm_data.old_account order by name`.execute(db);
    expect(keyed.rows).toEqual([
      { name: 'Acme', key: null },
      { name: '北京华信科技有限公司', key: 'beijinghuaxinkejiyouxiangongsi bjhxkjyxgs 北京华信科技有限公司' },
    ]);
    const spelled = await sql<{ name: string }>`select name from crm_data.old_account where ${searchCondition(['name', 'email'], 'hx', keys)}`.execute(db);
    expect(spelled.rows).toEqual([{ name: '北京华信科技有限公司' }]);
    const binnedKey = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns
      where table_name = '_deleted_019000000000700080000000000002f0' and column_name = ${searchKeyColumn('01900000-0000-7000-8000-0000000002f1')}`.execute(db);
    expect(binnedKey.rows[0]!.n).toBe(1);
  });
});
