import { readTemplate } from '@crm/templates';
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { useTestEngine } from '../testing';
import { installTemplate } from './install-template';

// A database of its own: the sales template installs objects the other template tests install too.
const harness = useTestEngine();

describe("a template's sample team", () => {
  it('installed by an administrator, the sample team reports to them and their inbox has the sample request waiting', async () => {
    const { engine } = harness();
    const admin = await engine.users.create(systemActor, { name: 'Installer', roles: ['administrator'] });
    const report = await installTemplate(engine, userActor(admin.id), readTemplate('sales'), { sampleData: true });
    expect(report).toMatchObject({ records: 20, users: 1, approvals: 1 });
    const rep = (await engine.users.list(systemActor)).find((user) => user.name === '周敏 Zhou Min')!;
    expect(rep).toMatchObject({ manager_id: admin.id, roles: ['sales_rep'], email: null });
    const waiting = await engine.approvals.inbox(userActor(admin.id));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ object: 'opportunity', title: '支付风控平台' });
    const deal = await engine.records.get(userActor(rep.id), 'opportunity', waiting[0]!.record_id);
    expect(deal).toMatchObject({ title: '支付风控平台', owner_id: rep.id });
    // The administrator's own sample records stay theirs.
    const own = await engine.records.list(userActor(admin.id), 'opportunity', { filter: { '==': [{ var: 'owner_id' }, admin.id] }, count: true });
    expect(own.total).toBe(7);
  });
});
