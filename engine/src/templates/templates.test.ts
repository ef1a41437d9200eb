import { readTemplate, templateNames } from '@crm/templates';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { expectCrmError, useTestEngine } from '../testing';
import { installTemplate } from './install-template';

const harness = useTestEngine();

describe('templates', () => {
  it('installs every shipped template with its sample data', async () => {
    const { engine } = harness();
    expect(templateNames()).toContain('sales');
    const report = await installTemplate(engine, systemActor, readTemplate('sales'), { sampleData: true });
    // Installed by the system, the sample request waiting on the installer is left out (nobody would decide it).
    expect(report).toMatchObject({ objects: 3, layouts: 4, views: 6, roles: 3, workflows: 1, records: 20, users: 1, approvals: 0 });
    expect((await engine.roles.get(systemActor, 'finance')).objects.account).toEqual({ read: true, export: true, fields: { notes: 'hidden' } });
    const accounts = await engine.records.list(systemActor, 'account', { sort: 'number', fields: ['name', 'number', 'open_pipeline', 'won_deals'] });
    expect(accounts.data[0]).toMatchObject({ number: 'ACC-00001', open_pipeline: '860000.00', won_deals: 1 });
    const funnel = await engine.views.get(systemActor, 'opportunity', 'big_deals');
    const big = await engine.records.list(systemActor, 'opportunity', { filter: funnel.filter, fields: ['title', 'expected_revenue'] });
    expect(big.data.map((r) => r.title).sort()).toEqual(['MES 系统二期', '支付风控平台']);
    expect(big.data.find((r) => r.title === 'MES 系统二期')!.expected_revenue).toBe(602000);

    // The roles it installs give the access the README's access-control example promises.
    const sales = await engine.departments.create(systemActor, { name: 'Sales' });
    const east = await engine.departments.create(systemActor, { name: 'East', parent_id: sales.id });
    const li = await engine.users.create(systemActor, { name: 'Li', department_id: east.id, roles: ['sales_rep'] });
    const chen = await engine.users.create(systemActor, { name: 'Chen', department_id: east.id, roles: ['sales_rep'] });
    const wang = await engine.users.create(systemActor, { name: 'Wang', department_id: sales.id, roles: ['sales_manager'] });
    const zhao = await engine.users.create(systemActor, { name: 'Zhao', roles: ['finance'] });
    const account = (await engine.records.list(systemActor, 'account', { limit: 1, sort: 'number' })).data[0]!;
    const deal = await engine.records.create(userActor(li.id), 'opportunity', { title: 'Li deal', account: account.id, stage: 'qualify', amount: '1000.00', description: 'price floor 900' });

    await expectCrmError(engine.records.get(userActor(chen.id), 'opportunity', deal.id as string), 'record_not_found');
    await expectCrmError(engine.records.update(userActor(li.id), 'opportunity', deal.id as string, { probability: 90 }), 'field_forbidden');
    // Li sees every account (read_scope all) but edits only his own: someone else's is visible, so forbidden.
    await expectCrmError(engine.records.update(userActor(li.id), 'account', account.id as string, { city: 'Xi an' }), 'forbidden');
    expect((await engine.records.list(userActor(li.id), 'account', { count: true })).total).toBe(5);
    await expect(engine.records.update(userActor(wang.id), 'opportunity', deal.id as string, { probability: 60 })).resolves.toMatchObject({ probability: '60.00' });
    const seenByFinance = await engine.records.get(userActor(zhao.id), 'opportunity', deal.id as string);
    expect(seenByFinance.title).toBe('Li deal');
    expect('description' in seenByFinance).toBe(false);
    expect('notes' in (await engine.records.get(userActor(zhao.id), 'account', account.id as string))).toBe(false);
    await expectCrmError(engine.records.update(userActor(zhao.id), 'opportunity', deal.id as string, { title: 'x' }), 'forbidden');
  });

  it('refuses sample data naming one key twice or a user before it exists; a malformed sample user or approval installs nothing', async () => {
    const { engine } = harness();
    const pkg = (name: string, extra: Record<string, unknown>) => ({ name, version: '1.0.0', label: 'Desk', objects: [{ name: `${name}_item`, label: 'Item', fields: [{ name: 'subject', type: 'text', label: 'Subject' }] }], ...extra });
    const twice = await expectCrmError(
      installTemplate(engine, systemActor, pkg('twice', { sample_users: [{ $key: 'a', name: 'A' }], sample_data: { twice_item: [{ $key: 'a', subject: 'x' }] } }), { sampleData: true }),
      'metadata_invalid',
    );
    expect(twice.message).toContain('"a"');
    const early = await expectCrmError(installTemplate(engine, systemActor, pkg('early', { sample_users: [{ $key: 'a', name: 'A', manager: { $ref: 'b' } }] }), { sampleData: true }), 'metadata_invalid');
    expect(early.message).toContain('"b"');
    const admin = await expectCrmError(installTemplate(engine, systemActor, pkg('boss', { sample_users: [{ $key: 'boss', name: 'Boss', roles: ['administrator'] }] }), { sampleData: true }), 'metadata_invalid');
    expect(admin.message).toContain('administrator');
    expect((await engine.users.list(systemActor)).some((user) => user.name === 'Boss')).toBe(false);
    // The frame is checked first: an unknown property of a sample user or approval installs nothing.
    await expectCrmError(installTemplate(engine, systemActor, pkg('frame', { sample_users: [{ $key: 'a', name: 'A', email: 'a@example.com' }] }), { sampleData: true }), 'metadata_invalid');
    await expectCrmError(installTemplate(engine, systemActor, pkg('frame2', { sample_approvals: [{ object: 'x', record: 'r', submitted_by: { $ref: 'a' } }] }), { sampleData: true }), 'metadata_invalid');
    await expectCrmError(engine.objects.get(systemActor, 'frame_item'), 'object_not_found');
  });

  it('installs all of a template or nothing: refused at its last sample record, it leaves no object, table, role, user or record, and installs once fixed', async () => {
    const { engine } = harness();
    const { db } = engine.database;
    const pkg = (lastAmount: string | null) => ({
      name: 'atomic',
      version: '1.0.0',
      label: 'Atomic',
      objects: [
        { name: 'atomic_client', label: 'Client', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] },
        {
          name: 'atomic_deal',
          label: 'Deal',
          fields: [
            { name: 'title', type: 'text', label: 'Title' },
            { name: 'client', type: 'lookup', label: 'Client', target: 'atomic_client' },
            { name: 'amount', type: 'currency', label: 'Amount', required: true },
          ],
        },
      ],
      views: [{ object: 'atomic_deal', name: 'all_deals', label: 'All deals', type: 'list', columns: ['title', 'amount'] }],
      roles: [{ name: 'atomic_agent', label: 'Agent', objects: { atomic_deal: { read: true } } }],
      sample_users: [{ $key: 'ann', name: 'Atomic Ann', roles: ['atomic_agent'] }],
      sample_data: {
        atomic_client: [{ $key: 'c1', name: 'Client one' }],
        atomic_deal: [
          { title: 'First', client: { $ref: 'c1' }, amount: '10.00', owner_id: { $ref: 'ann' } },
          { title: 'Last', amount: lastAmount },
        ],
      },
    });
    const stored = async () => Number((await sql<{ revision: string }>`select revision from crm_meta.state where id = 1`.execute(db)).rows[0]!.revision);
    const before = await stored();
    const tables = async () => (await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'crm_data' and table_name like 'atomic_%'`.execute(db)).rows[0]!.n;

    const refused = await expectCrmError(installTemplate(engine, systemActor, pkg(null), { sampleData: true }), 'validation_failed');
    expect(refused.fields).toEqual([expect.objectContaining({ path: 'amount', code: 'required' })]);
    await expectCrmError(engine.objects.get(systemActor, 'atomic_client'), 'object_not_found');
    await expectCrmError(engine.roles.get(systemActor, 'atomic_agent'), 'role_not_found');
    expect((await engine.users.list(systemActor)).some((user) => user.name === 'Atomic Ann')).toBe(false);
    expect(await tables()).toBe(0);
    // The revisions the install used are skipped, never handed out again for other metadata; the cache follows.
    expect(await stored()).toBeGreaterThan(before + 2);
    expect((await engine.metadata(systemActor)).revision).toBe(await stored());

    const report = await installTemplate(engine, systemActor, pkg('20.00'), { sampleData: true });
    expect(report).toMatchObject({ objects: 2, views: 1, roles: 1, users: 1, records: 3 });
    expect(await tables()).toBe(2);
    const deals = await engine.records.list(systemActor, 'atomic_deal', { sort: 'title', fields: ['title', 'amount', 'client'] });
    expect(deals.data.map((deal) => deal.title)).toEqual(['First', 'Last']);
  });

  it('installs the roles a template suggests, checked like any role', async () => {
    const { engine } = harness();
    const pkg = (object: string, role: Record<string, unknown>) => ({
      name: 'desk',
      version: '1.0.0',
      label: 'Desk',
      objects: [{ name: object, label: 'Ticket', fields: [{ name: 'subject', type: 'text', label: 'Subject' }, { name: 'cost', type: 'currency', label: 'Cost' }] }],
      roles: [role],
    });
    const report = await installTemplate(engine, systemActor, pkg('ticket', { name: 'agent', label: 'Agent', objects: { ticket: { read: true, create: true, read_scope: 'own', fields: { cost: 'hidden' } } } }));
    expect(report).toMatchObject({ objects: 1, roles: 1 });
    expect((await engine.roles.get(systemActor, 'agent')).objects.ticket).toEqual({ read: true, create: true, read_scope: 'own', fields: { cost: 'hidden' } });
    const bad = await expectCrmError(installTemplate(engine, systemActor, pkg('issue', { name: 'issue_agent', label: 'Agent', objects: { issue: { read: true, fields: { ghost: 'hidden' } } } })), 'metadata_invalid');
    expect(bad.fields.map((f) => f.path)).toEqual(['objects/issue/fields/ghost']);
  });

  it('refuses a package that is not a template', async () => {
    const { engine } = harness();
    await expectCrmError(installTemplate(engine, systemActor, { name: 'x' }), 'metadata_invalid');
    await expectCrmError(installTemplate(engine, systemActor, { name: 'x', version: '1', label: 'X', objects: [], script: 'rm -rf /' }), 'metadata_invalid');
  });
});
