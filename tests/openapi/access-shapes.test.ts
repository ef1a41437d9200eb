import { installTemplate, systemActor, userActor } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSchemaValid, schemaValidator } from './schema-validator';
import { startTestServer, type TestServer } from './test-server';

/**
 * The access-control routes against their description, over real HTTP: what users, departments,
 * roles, the audit log, tokens, shares, transfers, history and exports answer must validate
 * against the schemas the document gives them, and request bodies the server takes must
 * validate against the request schemas (and ones it refuses must not).
 */
describe('access-control schemas agree with the server', () => {
  let server: TestServer;
  let schemaOf: (name: string) => ValidateFunction;

  beforeAll(async () => {
    server = await startTestServer();
    await installTemplate(server.engine, systemActor, readTemplate('sales'), { sampleData: true });
    schemaOf = schemaValidator((await server.fetchDocument()).text);
  });
  afterAll(async () => {
    await server?.close();
  });

  const expectValid = (name: string, value: unknown): void => expectSchemaValid(schemaOf, name, value);

  /** Calls the API as the administrator; the status must be the expected one. */
  async function call(method: string, path: string, status: number, body?: unknown) {
    const response = await server.api(method, path, body);
    expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
    return response.body as unknown;
  }

  it('describes roles as the engine validates them', async () => {
    const role = {
      name: 'field_agent',
      label: { en: 'Field agent', 'zh-CN': '外勤' },
      objects: { opportunity: { read: true, edit: true, read_scope: 'own', fields: { amount: 'read_only' } }, '*': { read: true } },
    };
    expectValid('RoleDefinition', role);
    expectValid('RoleResponse', await call('POST', '/api/meta/roles', 201, role));
    expectValid('RoleList', await call('GET', '/api/meta/roles', 200));
    expectValid('RoleDefinition', await call('GET', '/api/meta/roles/field_agent', 200));
    const patch = { description: 'Visits customers', objects: { opportunity: { read: true, create: true } } };
    expectValid('RolePatch', patch);
    expectValid('RoleResponse', await call('PATCH', '/api/meta/roles/field_agent', 200, patch));
    const refused = { name: 'bad_role', label: 'Bad', objects: { opportunity: { read: true, fly: true } } };
    expect(schemaOf('RoleDefinition')(refused)).toBe(false);
    await call('POST', '/api/meta/roles', 400, refused);
    expectValid('DeletedDocument', await call('DELETE', '/api/meta/roles/field_agent', 200));
  });

  it('describes users and departments', async () => {
    const department = await call('POST', '/api/departments', 201, { name: 'East' });
    expectValid('DepartmentResponse', department);
    const departmentId = (department as { id: string }).id;
    expectValid('DepartmentResponse', await call('PATCH', `/api/departments/${departmentId}`, 200, { name: 'East region' }));
    expectValid('DepartmentList', await call('GET', '/api/departments', 200));

    const input = { name: 'Dana', email: 'dana@example.com', department_id: departmentId, roles: ['administrator'] };
    expectValid('UserCreateRequest', input);
    const user = (await call('POST', '/api/users', 201, input)) as { id: string };
    expectValid('User', user);
    expectValid('User', await call('GET', `/api/users/${user.id}`, 200));
    expectValid('UserList', await call('GET', '/api/users', 200));
    expectValid('UserPatch', { active: false, department_id: null });
    expectValid('User', await call('PATCH', `/api/users/${user.id}`, 200, { active: false, department_id: null }));
    expect(schemaOf('UserCreateRequest')({ name: 'X', nickname: 'x' })).toBe(false);
    await call('POST', '/api/users', 400, { name: 'X', nickname: 'x' });
    expectValid('PasswordSetRequest', { password: 'long enough password' });
    await call('POST', `/api/users/${user.id}/password`, 204, { password: 'long enough password' });
    expectValid('DepartmentDeleted', await call('DELETE', `/api/departments/${departmentId}`, 200));
  });

  it('describes scoped API tokens and the audit log', async () => {
    const request = { name: 'exporter', scopes: { opportunity: ['read', 'export'], '*': ['read'] } };
    expectValid('ApiTokenCreateRequest', request);
    expect(schemaOf('ApiTokenCreateRequest')({ name: 'x', scopes: { opportunity: ['fly'] } })).toBe(false);
    expect(schemaOf('ApiTokenCreateRequest')({ name: 'x', scopes: { 'Not An Object': ['read'] } })).toBe(false);
    await call('POST', '/api/auth/tokens', 400, { name: 'x', scopes: { opportunity: ['fly'] } });
    expectValid('ApiTokenCreated', await call('POST', '/api/auth/tokens', 201, request));
    expectValid('ApiTokenList', await call('GET', '/api/auth/tokens', 200));
    const page = await call('GET', '/api/audit?limit=20', 200);
    expectValid('AuditPage', page);
    expect((page as { data: unknown[] }).data.length).toBeGreaterThan(0);
  });

  it('describes field history, shares, transfers and exports', async () => {
    const opportunity = (await server.engine.records.list(systemActor, 'opportunity', { limit: 1 })).data[0]!;
    const path = `/api/records/opportunity/${opportunity.id as string}`;
    await call('PATCH', path, 200, { stage: 'negotiation', amount: '4321.00' });
    const history = (await call('GET', `${path}/history`, 200)) as { data: unknown[] };
    expect(history.data.length).toBeGreaterThan(0);
    expectValid('FieldHistory', history);

    const colleague = await server.engine.users.create(systemActor, { name: 'Colleague' });
    const shareRequest = { user_id: colleague.id, access: 'read' };
    expectValid('ShareRequest', shareRequest);
    expect(schemaOf('ShareRequest')({ access: 'read' })).toBe(false);
    expect(schemaOf('ShareRequest')({ user_id: colleague.id, department_id: colleague.id, access: 'read' })).toBe(false);
    const share = (await call('POST', `${path}/shares`, 201, shareRequest)) as { id: string };
    expectValid('RecordShare', share);
    expectValid('RecordShareList', await call('GET', `${path}/shares`, 200));
    await call('DELETE', `${path}/shares/${share.id}`, 204);

    const transfer = { ids: [opportunity.id], owner_id: colleague.id };
    expectValid('TransferRequest', transfer);
    expectValid('TransferResult', await call('POST', '/api/records/opportunity/transfer', 200, transfer));

    const imported = await fetch(`${server.base}/api/records/account/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/csv' },
      body: 'name\nImported one\n',
    });
    expectValid('ImportResult', await imported.json());

    const ndjson = await fetch(`${server.base}/api/records/opportunity/export?format=ndjson`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(ndjson.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await ndjson.text()).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expectValid('opportunity', JSON.parse(line));
    const csv = await fetch(`${server.base}/api/records/opportunity/export?fields=title,amount`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\n')[0]).toMatch(/title/);
  });

  it('matches what a restricted user gets against the document served to that user', async () => {
    await server.engine.roles.create(systemActor, {
      name: 'viewer_rep',
      label: 'Viewer rep',
      objects: { opportunity: { read: true, fields: { amount: 'hidden' } } },
    });
    const rep = await server.engine.users.create(systemActor, { name: 'Rep', roles: ['viewer_rep'] });
    const { token } = await server.engine.auth.createToken(userActor(rep.id), { name: 'rep' });
    const served = await server.fetchDocument({ token });
    const repSchemaOf = schemaValidator(served.text);
    const response = await server.api('GET', '/api/records/opportunity?expand=account,primary_contact,owner_id&limit=20', undefined, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    const page = response.body as { data: Record<string, unknown>[] };
    expect(page.data.length).toBeGreaterThan(0);
    const validate = repSchemaOf('opportunity_list');
    expect(validate(page) ? [] : validate.errors).toEqual([]);
    // Accounts and contacts are not the rep's: expanded, they are only ids, which the rep's schema says.
    expect(page.data.find((r) => r.account !== null)!.account).toEqual({ id: expect.any(String) });
    expect(page.data.every((r) => !('amount' in r))).toBe(true);
    expect(Object.keys(served.document.components.schemas.opportunity!.properties!)).not.toContain('amount');
  });
});
