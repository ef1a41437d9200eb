import { systemActor, userActor } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

/** A small module a partner could publish: two objects, a role and sample records. */
function partnerPackage(prefix: string, lastAmount: string | null) {
  return {
    name: `${prefix}_desk`,
    version: '2.1.0',
    label: { en: 'Service desk', 'zh-CN': '服务台' },
    objects: [
      { name: `${prefix}_customer`, label: 'Customer', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name', required: true }] },
      {
        name: `${prefix}_ticket`,
        label: 'Ticket',
        title_field: 'subject',
        fields: [
          { name: 'subject', type: 'text', label: 'Subject', required: true },
          { name: 'customer', type: 'lookup', label: 'Customer', target: `${prefix}_customer` },
          { name: 'cost', type: 'currency', label: 'Cost', required: true },
        ],
      },
    ],
    roles: [{ name: `${prefix}_agent`, label: 'Agent', objects: { [`${prefix}_ticket`]: { read: true, create: true } } }],
    sample_data: {
      [`${prefix}_customer`]: [{ $key: 'c1', name: 'First customer' }],
      [`${prefix}_ticket`]: [
        { subject: 'Printer', customer: { $ref: 'c1' }, cost: '10.00' },
        { subject: 'Last', cost: lastAmount },
      ],
    },
  };
}

describe('templates over HTTP', () => {
  it('lists the shipped templates and installs one into the running CRM, sample data and all; a second install is refused', async () => {
    const { api } = server();
    const listed = await api('GET', '/api/templates');
    expect(listed.status).toBe(200);
    const sales = (listed.body.data as { name: string }[]).find((template) => template.name === 'sales');
    const shipped = readTemplate('sales') as { version: string; objects: { name: string }[] };
    expect(sales).toEqual({
      name: 'sales',
      version: shipped.version,
      label: { en: 'Sales CRM', 'zh-CN': '销售管理' },
      description: expect.anything(),
      objects: shipped.objects.map((object) => object.name),
      existing_objects: [],
      installed: false,
      sample_data: true,
    });

    const installed = await api('POST', '/api/templates/install', { template: 'sales', sample_data: true });
    expect(installed.status).toBe(201);
    expect(installed.body).toMatchObject({ template: 'sales', version: shipped.version, objects: shipped.objects.length, records: expect.any(Number), approvals: 1 });
    expect(installed.body.records).toBeGreaterThan(5);
    // Served at once, without a restart: its records, its OpenAPI paths, the list of templates.
    expect((await api('GET', '/api/records/opportunity?count=true&limit=1')).body.total).toBeGreaterThan(0);
    expect(Object.keys((await api('GET', '/api/openapi.json')).body.paths)).toContain('/api/records/opportunity');
    expect((await api('GET', '/api/templates')).body.data.find((template: { name: string }) => template.name === 'sales')).toMatchObject({ installed: true, existing_objects: shipped.objects.map((object) => object.name) });

    // Its objects exist now: the same install is refused as a whole, in the one error shape.
    const again = await api('POST', '/api/templates/install', { template: 'sales' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBeTypeOf('string');
  });

  it('installs a partner’s template document as one transaction: refused at its last record it leaves nothing, fixed it installs', async () => {
    const { api, engine } = server();
    const prefix = uniqueName('p');
    const names = async () => (await engine.objects.list(systemActor)).map((object) => object.name);

    const refused = await api('POST', '/api/templates/install', { package: partnerPackage(prefix, null), sample_data: true }, { 'accept-language': 'zh-CN' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', fields: [expect.objectContaining({ path: 'cost', code: 'required' })] });
    expect(refused.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await names()).not.toContain(`${prefix}_customer`);
    expect((await api('GET', `/api/meta/roles/${prefix}_agent`)).status).toBe(404);

    const report = await api('POST', '/api/templates/install', { package: partnerPackage(prefix, '20.00'), sample_data: true });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ template: `${prefix}_desk`, version: '2.1.0', objects: 2, roles: 1, records: 3 });
    const tickets = await api('GET', `/api/records/${prefix}_ticket?sort=subject&fields=subject,cost,customer`);
    expect(tickets.body.data.map((ticket: { subject: string }) => ticket.subject)).toEqual(['Last', 'Printer']);
    // Every change it made is in the audit log, as the administrator's.
    const audit = await api('GET', `/api/audit?kind=object&actor_id=${server().userId}&limit=100`);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain(`${prefix}_ticket`);

    // Without sample data: the module only (new names, as these exist now).
    const bare = await api('POST', '/api/templates/install', { package: partnerPackage(uniqueName('q'), null) });
    expect(bare.status).toBe(201);
    expect(bare.body).toMatchObject({ objects: 2, records: 0, users: 0 });
  });

  it('refuses bad requests, unknown templates, invalid documents and anyone but administrators, changing nothing', async () => {
    const { api, engine, base } = server();
    const before = (await engine.objects.list(systemActor)).length;
    const issues = async (body: unknown) => {
      const response = await api('POST', '/api/templates/install', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      return response.body.error.fields.map((issue: { path: string; code: string }) => `${issue.path}:${issue.code}`);
    };
    expect(await issues({})).toEqual(['template:required']);
    expect(await issues({ template: 'sales', package: {} })).toEqual(['template:required']);
    expect(await issues({ template: 7 })).toEqual(['template:type']);
    expect(await issues({ package: [] })).toEqual(['package:type']);
    expect(await issues({ template: 'sales', sample_data: 'yes', force: true })).toEqual(['force:unknown_field', 'sample_data:type']);
    expect(await issues([])).toEqual(['template:required']);

    const unknown = await api('POST', '/api/templates/install', { template: '../etc' }, { 'accept-language': 'en' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'template_not_found', message: 'No template named "../etc" is shipped with this server' });

    // A document that is no template: refused by its schema before anything is created.
    const invalid = await api('POST', '/api/templates/install', { package: { name: 'x', version: '1', label: 'X', objects: [{ name: 'Bad Name!', label: 'Bad', fields: [] }] } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('metadata_invalid');
    // Templates are data: a function-looking string is just a string, and a rule may use known operations only.
    const scriptedPrefix = uniqueName('s');
    const scripted = await api('POST', '/api/templates/install', {
      package: { ...partnerPackage(scriptedPrefix, '1.00'), validation_rules: [{ object: `${scriptedPrefix}_ticket`, name: 'r', condition: { eval: ['process.exit()'] }, message: 'x' }] },
    });
    expect(scripted.status).toBe(400);
    expect(scripted.body.error.code).toBe('metadata_invalid');
    expect((await engine.objects.list(systemActor)).length).toBe(before);

    // A sales rep may neither list nor install.
    const rep = await engine.users.create(systemActor, { name: 'Rep', email: `${uniqueName('rep')}@example.com`, roles: [] });
    const { token } = await engine.auth.createToken(userActor(rep.id), { name: 'rep' });
    for (const [method, path, body] of [
      ['GET', '/api/templates', undefined],
      ['POST', '/api/templates/install', JSON.stringify({ package: partnerPackage(uniqueName('r'), '1.00') })],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'en' }, ...(body ? { body } : {}) });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain('templates');
    }
    expect((await engine.objects.list(systemActor)).length).toBe(before);
  });
});
