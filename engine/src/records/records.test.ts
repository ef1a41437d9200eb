import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function dealObject(): Promise<string> {
  const { engine } = harness();
  const name = uniqueName('deal');
  await engine.objects.create(systemActor, {
    name,
    label: 'Deal',
    title_field: 'title',
    fields: [
      { name: 'title', type: 'text', label: 'Title', required: true, max_length: 20 },
      { name: 'code', type: 'text', label: 'Code', unique: true, pattern: '^[A-Z]{3}$' },
      { name: 'amount', type: 'currency', label: 'Amount', precision: 18, scale: 2, min: 0 },
      { name: 'qty', type: 'integer', label: 'Qty', min: 1, default: 1 },
      { name: 'email', type: 'email', label: 'Email' },
      { name: 'site', type: 'url', label: 'Site' },
      { name: 'won', type: 'boolean', label: 'Won' },
      { name: 'close', type: 'date', label: 'Close', default: { var: '$today' } },
      { name: 'seen', type: 'datetime', label: 'Seen' },
      { name: 'region', type: 'select', label: 'Region', options: [{ value: 'cn', label: 'China' }, { value: 'eu', label: 'Europe' }] },
      {
        name: 'city',
        type: 'select',
        label: 'City',
        controlling_field: 'region',
        options: [
          { value: 'sh', label: 'Shanghai', valid_for: ['cn'] },
          { value: 'paris', label: 'Paris', valid_for: ['eu'] },
        ],
      },
      { name: 'tags', type: 'multiselect', label: 'Tags', options: [{ value: 'vip', label: 'VIP' }, { value: 'new', label: 'New' }] },
      { name: 'meta', type: 'json', label: 'Meta' },
      { name: 'total', type: 'formula', label: 'Total', expression: { '*': [{ var: 'amount' }, { var: 'qty' }] }, result_type: 'number', scale: 2 },
    ],
  });
  return name;
}

describe('record writes', () => {
  it('creates, reads, updates with the expected version, and normalises input', async () => {
    const { engine } = harness();
    const name = await dealObject();
    const created = await engine.records.create(systemActor, name, {
      title: '  Big deal  ',
      amount: '1234567890123456.78',
      email: 'a@example.com',
      won: 'yes',
      seen: '2024-05-01T10:00:00+08:00',
      region: 'cn',
      city: 'sh',
      tags: ['new', 'vip'],
      meta: { source: 'web', list: [1, 2] },
    });
    expect(created).toMatchObject({
      title: 'Big deal',
      amount: '1234567890123456.78',
      qty: 1,
      won: true,
      seen: '2024-05-01T02:00:00.000Z',
      tags: ['vip', 'new'],
      meta: { source: 'web', list: [1, 2] },
      version: 1,
      owner_id: systemActor.kind === 'system' ? '00000000-0000-0000-0000-000000000000' : undefined,
      deleted_at: null,
    });
    expect(created.close).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(created.total).toBeCloseTo(1234567890123456.78, -2);
    const read = await engine.records.get(systemActor, name, created.id as string);
    expect(read).toEqual(created);

    const updated = await engine.records.update(systemActor, name, created.id as string, { amount: 0.1, qty: '3' }, { expectedVersion: 1 });
    expect(updated).toMatchObject({ amount: '0.10', qty: 3, version: 2, total: 0.3 });
    const unchanged = await engine.records.update(systemActor, name, created.id as string, { qty: 3 });
    expect(unchanged.version).toBe(2);
  });

  it('keeps decimals exact and refuses digits beyond the scale', async () => {
    const { engine } = harness();
    const name = await dealObject();
    const r = await engine.records.create(systemActor, name, { title: 'x', amount: '9999999999999999.99' });
    expect(r.amount).toBe('9999999999999999.99');
    const error = await expectCrmError(engine.records.create(systemActor, name, { title: 'x', amount: '1.005' }), 'validation_failed');
    expect(error.fields).toEqual([{ path: 'amount', code: 'precision', params: { integer_digits: 16, scale: 2 }, field: 'amount', label: 'Amount' }]);
  });

  it('reports every failing field at once and writes nothing', async () => {
    const { engine } = harness();
    const name = await dealObject();
    const error = await expectCrmError(
      engine.records.create(systemActor, name, {
        code: 'abc',
        amount: -1,
        qty: 0,
        email: 'not-an-email',
        site: 'javascript:alert(1)',
        won: 'maybe',
        close: '2024-02-30',
        region: 'mars',
        tags: ['vip', 'vip'],
        extra: 1,
        id: '00000000-0000-4000-8000-000000000000',
        total: 5,
      }),
      'validation_failed',
    );
    const byPath = Object.fromEntries(error.fields.map((f) => [f.path, f.code]));
    expect(byPath).toEqual({
      title: 'required',
      code: 'pattern',
      amount: 'minimum',
      qty: 'minimum',
      email: 'type',
      site: 'type',
      won: 'type',
      close: 'type',
      region: 'option',
      tags: 'duplicate',
      extra: 'unknown_field',
      id: 'read_only',
      total: 'read_only',
    });
    expect(error.status).toBe(400);
    expect(error.toBody('zh-CN').error.fields.find((f) => f.path === 'title')!.message).toBe('Title 为必填项');
    expect((await engine.records.list(systemActor, name)).data).toHaveLength(0);
  });

  it('enforces dependent options', async () => {
    const { engine } = harness();
    const name = await dealObject();
    const error = await expectCrmError(engine.records.create(systemActor, name, { title: 'x', region: 'eu', city: 'sh' }), 'validation_failed');
    // Both fields named by label: the one at fault and the one controlling it.
    expect(error.fields).toEqual([{ path: 'city', code: 'dependent_option', params: { value: 'sh', controlling: 'Region', controlling_value: 'eu' }, field: 'city', label: 'City' }]);
    const ok = await engine.records.create(systemActor, name, { title: 'x', region: 'eu', city: 'paris' });
    await expectCrmError(engine.records.update(systemActor, name, ok.id as string, { region: 'cn' }), 'validation_failed');
  });

  it('turns unique and foreign key violations into typed errors', async () => {
    const { engine } = harness();
    const name = await dealObject();
    await engine.records.create(systemActor, name, { title: 'a', code: 'ABC' });
    const unique = await expectCrmError(engine.records.create(systemActor, name, { title: 'b', code: 'ABC' }), 'unique_violation');
    expect(unique.status).toBe(409);
    expect(unique.fields).toEqual([{ path: 'code', code: 'unique', field: 'code', label: 'Code' }]);
    const owner = await expectCrmError(engine.records.create(systemActor, name, { title: 'c', owner_id: '00000000-0000-4000-8000-000000000001' }), 'validation_failed');
    expect(owner.fields).toEqual([{ path: 'owner_id', code: 'reference_not_found', field: 'owner_id', label: { en: 'Owner', 'zh-CN': '负责人' } }]);
    await expectCrmError(engine.records.create(userActor('00000000-0000-4000-8000-000000000002'), name, { title: 'd' }), 'actor_invalid');
  });

  it('detects stale versions and never overwrites a newer record', async () => {
    const { engine } = harness();
    const name = await dealObject();
    const r = await engine.records.create(systemActor, name, { title: 'v1' });
    await engine.records.update(systemActor, name, r.id as string, { title: 'v2' }, { expectedVersion: 1 });
    const stale = await expectCrmError(engine.records.update(systemActor, name, r.id as string, { title: 'v3' }, { expectedVersion: 1 }), 'stale_version');
    expect(stale.status).toBe(412);
    expect(stale.params).toMatchObject({ expected: 1, current: 2 });
    await expectCrmError(engine.records.delete(systemActor, name, r.id as string, { expectedVersion: 1 }), 'stale_version');
    expect(await engine.records.get(systemActor, name, r.id as string)).toMatchObject({ title: 'v2', version: 2, deleted_at: null });
  });

  it('records who created and changed a record', async () => {
    const { engine } = harness();
    const name = await dealObject();
    const alice = await engine.users.create(systemActor, { name: 'Alice', email: `${uniqueName('alice')}@example.com`, roles: ['administrator'] });
    const bob = await engine.users.create(systemActor, { name: 'Bob', roles: ['administrator'] });
    const r = await engine.records.create(userActor(alice.id), name, { title: 'mine' });
    expect(r).toMatchObject({ created_by: alice.id, updated_by: alice.id, owner_id: alice.id });
    const changed = await engine.records.update(userActor(bob.id), name, r.id as string, { owner_id: bob.id });
    expect(changed).toMatchObject({ created_by: alice.id, updated_by: bob.id, owner_id: bob.id });
  });

  it('deletes to the recycle bin, restores, and purges', async () => {
    const { engine } = harness();
    const name = await dealObject();
    const r = await engine.records.create(systemActor, name, { title: 'bin', code: 'BIN' });
    const deleted = await engine.records.delete(systemActor, name, r.id as string);
    expect(deleted.deleted_at).not.toBeNull();
    await expectCrmError(engine.records.get(systemActor, name, r.id as string), 'record_not_found');
    await expectCrmError(engine.records.update(systemActor, name, r.id as string, { title: 'x' }), 'record_not_found');
    expect((await engine.records.list(systemActor, name, { deleted: true })).data.map((d) => d.id)).toEqual([r.id]);
    // The unique value is free while the record is in the bin...
    const other = await engine.records.create(systemActor, name, { title: 'other', code: 'BIN' });
    // ...so restoring it now would duplicate it.
    await expectCrmError(engine.records.restore(systemActor, name, r.id as string), 'unique_violation');
    await engine.records.delete(systemActor, name, other.id as string);
    await engine.records.purge(systemActor, name, other.id as string);
    const restored = await engine.records.restore(systemActor, name, r.id as string);
    expect(restored).toMatchObject({ title: 'bin', deleted_at: null });
    await expectCrmError(engine.records.purge(systemActor, name, r.id as string), 'record_not_found');
    await expectCrmError(engine.records.get(systemActor, name, 'not-a-uuid'), 'record_not_found');
  });

  it('restricts deleting a record that live records look up, and cascades master-detail through the bin', async () => {
    const { engine } = harness();
    const account = uniqueName('account');
    const contact = uniqueName('contact');
    const line = uniqueName('line');
    await engine.objects.create(systemActor, { name: account, label: 'Account', fields: [{ name: 'name', type: 'text', label: 'N' }] });
    await engine.objects.create(systemActor, { name: contact, label: 'Contact', fields: [{ name: 'account', type: 'lookup', label: 'A', target: account, on_delete: 'restrict' }] });
    await engine.objects.create(systemActor, { name: line, label: 'Line', fields: [{ name: 'account', type: 'master_detail', label: 'A', target: account }] });
    const a = await engine.records.create(systemActor, account, { name: 'Acme' });
    const c = await engine.records.create(systemActor, contact, { account: a.id });
    const l1 = await engine.records.create(systemActor, line, { account: a.id });
    const l2 = await engine.records.create(systemActor, line, { account: a.id });
    const missing = await expectCrmError(engine.records.create(systemActor, line, {}), 'validation_failed');
    expect(missing.fields).toEqual([{ path: 'account', code: 'required', field: 'account', label: 'A' }]);

    const inUse = await expectCrmError(engine.records.delete(systemActor, account, a.id as string), 'reference_in_use');
    expect(inUse.params).toMatchObject({ count: 1, referencing: contact });
    await engine.records.delete(systemActor, contact, c.id as string);
    await engine.records.delete(systemActor, line, l2.id as string);
    await engine.records.delete(systemActor, account, a.id as string);
    expect((await engine.records.list(systemActor, line)).data).toHaveLength(0);
    await expectCrmError(engine.records.restore(systemActor, line, l1.id as string), 'parent_deleted');
    await engine.records.restore(systemActor, account, a.id as string);
    // l1 went with its master and comes back with it; l2 was deleted on its own and stays in the bin.
    expect((await engine.records.list(systemActor, line)).data.map((r) => r.id)).toEqual([l1.id]);
    await engine.records.delete(systemActor, account, a.id as string);
    // The contact in the recycle bin still holds its restrict reference.
    await expectCrmError(engine.records.purge(systemActor, account, a.id as string), 'reference_in_use');
    await engine.records.purge(systemActor, contact, c.id as string);
    await engine.records.purge(systemActor, account, a.id as string);
    const left = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`crm_data.${line}`)}`.execute(engine.database.db);
    expect(left.rows[0]!.n).toBe(0);
  });

  it('rolls back a delete that fails halfway through its cascade, leaving nothing behind', async () => {
    const { engine } = harness();
    const order = uniqueName('order');
    const line = uniqueName('line');
    const shipment = uniqueName('shipment');
    await engine.objects.create(systemActor, { name: order, label: 'Order', fields: [{ name: 'code', type: 'text', label: 'Code' }] });
    await engine.objects.create(systemActor, { name: line, label: 'Line', fields: [{ name: 'parent_order', type: 'master_detail', label: 'Order', target: order }] });
    await engine.objects.create(systemActor, { name: shipment, label: 'Shipment', fields: [{ name: 'line', type: 'lookup', label: 'Line', target: line, on_delete: 'restrict' }] });
    await engine.fields.create(systemActor, order, { name: 'line_count', type: 'rollup', label: 'Lines', child_object: line, relationship_field: 'parent_order', aggregate: 'count' });
    const o = await engine.records.create(systemActor, order, { code: 'A' });
    const l = await engine.records.create(systemActor, line, { parent_order: o.id });
    await engine.records.create(systemActor, shipment, { line: l.id });
    // The order row is marked deleted first, then its lines would follow; the shipment blocks the line.
    const error = await expectCrmError(engine.records.delete(systemActor, order, o.id as string), 'reference_in_use');
    expect(error.params).toMatchObject({ referencing: shipment });
    expect(await engine.records.get(systemActor, order, o.id as string)).toMatchObject({ deleted_at: null, version: 1, line_count: 1 });
    expect(await engine.records.get(systemActor, line, l.id as string)).toMatchObject({ deleted_at: null, version: 1 });
  });
});
