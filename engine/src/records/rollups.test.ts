import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function accountsAndDeals(): Promise<{ account: string; deal: string }> {
  const { engine } = harness();
  const account = uniqueName('account');
  const deal = uniqueName('deal');
  await engine.objects.create(systemActor, { name: account, label: 'Account', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
  await engine.objects.create(systemActor, {
    name: deal,
    label: 'Deal',
    fields: [
      { name: 'account', type: 'lookup', label: 'Account', target: account },
      { name: 'amount', type: 'currency', label: 'Amount' },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }] },
      { name: 'closed', type: 'date', label: 'Closed' },
    ],
  });
  for (const [name, def] of [
    ['deal_count', { aggregate: 'count' }],
    ['won_total', { aggregate: 'sum', aggregate_field: 'amount', filter: { '==': [{ var: 'stage' }, 'won'] } }],
    ['smallest', { aggregate: 'min', aggregate_field: 'amount' }],
    ['last_close', { aggregate: 'max', aggregate_field: 'closed' }],
  ] as const) {
    await engine.fields.create(systemActor, account, { name, type: 'rollup', label: name, child_object: deal, relationship_field: 'account', ...def });
  }
  return { account, deal };
}

describe('rollups', () => {
  it('stay correct as children are created, changed, moved, deleted and restored', async () => {
    const { engine } = harness();
    const { account, deal } = await accountsAndDeals();
    const a = await engine.records.create(systemActor, account, { name: 'A' });
    const b = await engine.records.create(systemActor, account, { name: 'B' });
    const rollups = async (id: unknown) => {
      const r = await engine.records.get(systemActor, account, id as string, { fields: ['deal_count', 'won_total', 'smallest', 'last_close'] });
      return [r.deal_count, r.won_total, r.smallest, r.last_close];
    };
    expect(await rollups(a.id)).toEqual([0, '0', null, null]);
    const d1 = await engine.records.create(systemActor, deal, { account: a.id, amount: '100.50', stage: 'won', closed: '2024-01-10' });
    const d2 = await engine.records.create(systemActor, deal, { account: a.id, amount: '20', stage: 'open', closed: '2024-03-01' });
    expect(await rollups(a.id)).toEqual([2, '100.50', '20.00', '2024-03-01']);
    await engine.records.update(systemActor, deal, d2.id as string, { stage: 'won' });
    expect(await rollups(a.id)).toEqual([2, '120.50', '20.00', '2024-03-01']);
    await engine.records.update(systemActor, deal, d1.id as string, { account: b.id });
    expect(await rollups(a.id)).toEqual([1, '20.00', '20.00', '2024-03-01']);
    expect(await rollups(b.id)).toEqual([1, '100.50', '100.50', '2024-01-10']);
    await engine.records.delete(systemActor, deal, d2.id as string);
    expect(await rollups(a.id)).toEqual([0, '0', null, null]);
    await engine.records.restore(systemActor, deal, d2.id as string);
    expect(await rollups(a.id)).toEqual([1, '20.00', '20.00', '2024-03-01']);
    await expectCrmError(engine.records.update(systemActor, account, a.id as string, { deal_count: 5 }), 'validation_failed');
  });

  it('are computed for existing records when the rollup is added, and after its filter changes', async () => {
    const { engine } = harness();
    const { account, deal } = await accountsAndDeals();
    const a = await engine.records.create(systemActor, account, { name: 'A' });
    for (const amount of ['1', '2', '3']) await engine.records.create(systemActor, deal, { account: a.id, amount, stage: 'open' });
    await engine.fields.create(systemActor, account, { name: 'open_total', type: 'rollup', label: 'Open', child_object: deal, relationship_field: 'account', aggregate: 'sum', aggregate_field: 'amount', filter: { '==': [{ var: 'stage' }, 'open'] } });
    expect((await engine.records.get(systemActor, account, a.id as string)).open_total).toBe('6.00');
    await engine.fields.update(systemActor, account, 'open_total', { filter: { '>': [{ var: 'amount' }, 1] } });
    expect((await engine.records.get(systemActor, account, a.id as string)).open_total).toBe('5.00');
  });

  it('count every child when children are added concurrently', async () => {
    const { engine } = harness();
    const { account, deal } = await accountsAndDeals();
    const a = await engine.records.create(systemActor, account, { name: 'A' });
    await Promise.all(Array.from({ length: 25 }, (_, i) => engine.records.create(systemActor, deal, { account: a.id, amount: String(i + 1), stage: 'won' })));
    const r = await engine.records.get(systemActor, account, a.id as string);
    expect(r.deal_count).toBe(25);
    expect(r.won_total).toBe('325.00');
  });

  it('refuse definitions that do not fit the child', async () => {
    const { engine } = harness();
    const { account, deal } = await accountsAndDeals();
    const base = { type: 'rollup', label: 'X', child_object: deal, relationship_field: 'account' };
    await expectCrmError(engine.fields.create(systemActor, account, { ...base, name: 'x1', aggregate: 'sum', aggregate_field: 'stage' }), 'metadata_invalid');
    await expectCrmError(engine.fields.create(systemActor, account, { ...base, name: 'x2', aggregate: 'sum' }), 'metadata_invalid');
    await expectCrmError(engine.fields.create(systemActor, account, { ...base, name: 'x3', aggregate: 'count', filter: { '==': [{ var: 'owner_id' }, { var: '$user.id' }] } }), 'metadata_invalid');
    await expectCrmError(engine.fields.create(systemActor, account, { ...base, name: 'x4', aggregate: 'count', filter: { reduce: [[1], { '+': [1, 1] }, 0] } }), 'metadata_invalid');
    const error = await expectCrmError(engine.fields.delete(systemActor, deal, 'amount'), 'dependency_exists');
    expect(error.message).toContain(`${account}.won_total`);
  });
});
