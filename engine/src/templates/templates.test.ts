import { readTemplate, templateNames } from '@crm/templates';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, useTestEngine } from '../testing';
import { installTemplate } from './install-template';

const harness = useTestEngine();

describe('templates', () => {
  it('installs every shipped template with its sample data', async () => {
    const { engine } = harness();
    expect(templateNames()).toContain('sales');
    const report = await installTemplate(engine, systemActor, readTemplate('sales'), { sampleData: true });
    expect(report).toMatchObject({ objects: 3, layouts: 4, views: 6, records: 20 });
    const accounts = await engine.records.list(systemActor, 'account', { sort: 'number', fields: ['name', 'number', 'open_pipeline', 'won_deals'] });
    expect(accounts.data[0]).toMatchObject({ number: 'ACC-00001', open_pipeline: '860000.00', won_deals: 1 });
    const funnel = await engine.views.get(systemActor, 'opportunity', 'big_deals');
    const big = await engine.records.list(systemActor, 'opportunity', { filter: funnel.filter, fields: ['title', 'expected_revenue'] });
    expect(big.data.map((r) => r.title).sort()).toEqual(['MES 系统二期', '支付风控平台']);
    expect(big.data.find((r) => r.title === 'MES 系统二期')!.expected_revenue).toBe(602000);
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
