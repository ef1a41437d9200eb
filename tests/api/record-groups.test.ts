import { installTemplate, systemActor, userActor } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../support/test-server';

/**
 * GET /api/records/:object/groups: a board's column totals in one grouped query, within the
 * same record visibility as the list (a rep counts only their own opportunities).
 */

const server = useTestServer();
let rep: { id: string; token: string };
let accountId: string;

const asRep = (path: string) => server().api('GET', path, undefined, { authorization: `Bearer ${rep.token}` });

beforeAll(async () => {
  const { engine } = server();
  await installTemplate(engine, systemActor, readTemplate('sales'), { sampleData: true });
  const department = await engine.departments.create(systemActor, { name: 'Groups' });
  const user = await engine.users.create(systemActor, { name: 'Rep', email: 'groups-rep@example.com', roles: ['sales_rep'], department_id: department.id });
  rep = { id: user.id, token: (await engine.auth.createToken(userActor(user.id), { name: 'tests' })).token };
  accountId = (await engine.records.list(systemActor, 'account', { limit: 1 })).data[0]!.id as string;
  for (const [stage, amount] of [
    ['qualify', '100.10'],
    ['qualify', '200.20'],
    ['proposal', '1000.00'],
  ] as const) {
    const created = await server().api('POST', '/api/records/opportunity', { title: `Groups ${stage} ${amount}`, account: accountId, stage, amount, owner_id: rep.id });
    expect(created.status).toBe(201);
  }
});

describe('record groups', () => {
  it('counts and sums per value within what the reader may see', async () => {
    const mine = await asRep('/api/records/opportunity/groups?group_by=stage&sum=amount');
    expect(mine.status).toBe(200);
    const byKey = Object.fromEntries(mine.body.data.map((g: { key: string; count: number; sum: string }) => [g.key, g]));
    expect(byKey).toEqual({ qualify: { key: 'qualify', count: 2, sum: '300.30' }, proposal: { key: 'proposal', count: 1, sum: '1000.00' } });

    // The administrator sees the sample data too: the same totals as counting the list.
    const all = await server().api('GET', '/api/records/opportunity/groups?group_by=stage');
    for (const group of all.body.data as { key: string | null; count: number; sum?: string }[]) {
      expect(group.sum).toBeUndefined();
      const filter = encodeURIComponent(JSON.stringify(group.key === null ? { '==': [{ var: 'stage' }, null] } : { '==': [{ var: 'stage' }, group.key] }));
      expect((await server().api('GET', `/api/records/opportunity?filter=${filter}&count=true&limit=1`)).body.total).toBe(group.count);
    }
    expect(all.body.data.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBeGreaterThan(3);

    const filter = encodeURIComponent(JSON.stringify({ '>': [{ var: 'amount' }, 150] }));
    expect((await asRep(`/api/records/opportunity/groups?group_by=stage&sum=amount&filter=${filter}`)).body.data).toEqual(
      expect.arrayContaining([
        { key: 'qualify', count: 1, sum: '200.20' },
        { key: 'proposal', count: 1, sum: '1000.00' },
      ]),
    );
    expect((await asRep(`/api/records/opportunity/groups?group_by=stage&q=${encodeURIComponent('Groups proposal')}`)).body.data).toEqual([{ key: 'proposal', count: 1 }]);
  });

  it('refuses what is not a groupable field, a sum of a non-number and a missing group_by', async () => {
    const missing = await asRep('/api/records/opportunity/groups');
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0]).toMatchObject({ path: 'group_by', code: 'required' });
    const unknown = await asRep('/api/records/opportunity/groups?group_by=ghost');
    expect(unknown.body.error.fields[0]).toMatchObject({ path: 'group_by', code: 'unknown_field' });
    const text = await asRep('/api/records/opportunity/groups?group_by=stage&sum=title');
    expect(text.status).toBe(400);
    expect(text.body.error.fields[0]).toMatchObject({ path: 'sum', code: 'invalid' });
    expect((await asRep('/api/records/ghost_object/groups?group_by=stage')).status).toBe(404);
  });
});
