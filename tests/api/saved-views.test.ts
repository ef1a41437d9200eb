import { systemActor, userActor } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPasswordUser, cookieHeaderFrom, postJson } from '../auth/auth-http-support';
import { expectSchemaValid, schemaValidator } from '../openapi/schema-validator';
import { uniqueName, useTestServer, type ApiResponse } from '../support/test-server';

/**
 * /api/me/views over real HTTP: each user's own saved views of a list, checked against what they
 * may read, with the API's one error shape for every refusal, and CSRF for browser sessions.
 */

const server = useTestServer();

let object: string;
let secret: string;
let repToken: string;
let otherToken: string;

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const definition = { columns: ['name', 'amount'], sort: '-amount', filter: { '>': [{ var: 'amount' }, 1000] }, q: 'acme' };

function expectError(response: ApiResponse, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error).toMatchObject({ code, message: expect.any(String) });
}

beforeAll(async () => {
  const { api, engine } = server();
  object = uniqueName('deal');
  secret = uniqueName('secret');
  for (const name of [object, secret]) {
    const made = await api('POST', '/api/meta/objects', {
      name,
      label: 'Deal',
      title_field: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'amount', type: 'currency', label: 'Amount' },
        { name: 'cost', type: 'currency', label: 'Cost' },
      ],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
  }
  const role = uniqueName('rep');
  await engine.roles.create(systemActor, { name: role, label: 'Rep', objects: { [object]: { read: true, fields: { cost: 'hidden' } } } });
  const rep = await engine.users.create(systemActor, { name: 'Rep', roles: [role] });
  const other = await engine.users.create(systemActor, { name: 'Other', roles: [role] });
  repToken = (await engine.auth.createToken(userActor(rep.id), { name: 'ui' })).token;
  otherToken = (await engine.auth.createToken(userActor(other.id), { name: 'ui' })).token;
});

describe('personal saved views over HTTP', () => {
  it('creates, lists, renames, changes and deletes a user’s own views', async () => {
    const { api } = server();
    const created = await api('POST', '/api/me/views', { object, name: 'Big deals', definition }, as(repToken));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), object, name: 'Big deals', definition, dropped: [] });
    const id = created.body.id as string;
    const listed = await api('GET', `/api/me/views?object=${object}`, undefined, as(repToken));
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((v: { name: string }) => v.name)).toEqual(['Big deals']);
    expect((await api('GET', '/api/me/views', undefined, as(repToken))).body.data).toHaveLength(1);
    // The answers are what the rep's OpenAPI document says they are.
    const schemaOf = schemaValidator(await (await fetch(`${server().base}/api/openapi.json`, { headers: as(repToken) })).text());
    expectSchemaValid(schemaOf, 'SavedView', created.body);
    expectSchemaValid(schemaOf, 'SavedViewList', listed.body);
    expect((await api('GET', `/api/me/views/${id}`, undefined, as(repToken))).body.name).toBe('Big deals');
    const patched = await api('PATCH', `/api/me/views/${id}`, { name: 'Bigger deals', definition: { columns: ['name'], sort: 'name' } }, as(repToken));
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Bigger deals', definition: { columns: ['name'], sort: 'name' } });
    expect(patched.body.definition).not.toHaveProperty('filter');
    const deleted = await api('DELETE', `/api/me/views/${id}`, undefined, as(repToken));
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id });
    expectError(await api('GET', `/api/me/views/${id}`, undefined, as(repToken)), 404, 'saved_view_not_found');
  });

  it('hides one user’s views from another (404), and refuses a name taken by the same user (409)', async () => {
    const { api } = server();
    const mine = await api('POST', '/api/me/views', { object, name: 'Mine', definition }, as(repToken));
    expect(mine.status).toBe(201);
    const id = mine.body.id as string;
    expect((await api('GET', `/api/me/views?object=${object}`, undefined, as(otherToken))).body.data).toEqual([]);
    expectError(await api('GET', `/api/me/views/${id}`, undefined, as(otherToken)), 404, 'saved_view_not_found');
    expectError(await api('PATCH', `/api/me/views/${id}`, { name: 'Taken over' }, as(otherToken)), 404, 'saved_view_not_found');
    expectError(await api('DELETE', `/api/me/views/${id}`, undefined, as(otherToken)), 404, 'saved_view_not_found');
    expect((await api('POST', '/api/me/views', { object, name: 'Mine', definition }, as(otherToken))).status).toBe(201);
    const taken = await api('POST', '/api/me/views', { object, name: 'Mine', definition }, as(repToken));
    expectError(taken, 409, 'name_taken');
    expect(taken.body.error.message).toBe('Saved view "Mine" already exists');
    expect((await api('GET', `/api/me/views?object=${object}`, undefined, as(repToken))).body.data).toHaveLength(1);
  });

  it('refuses bad definitions and objects the user may not read, changing nothing', async () => {
    const { api } = server();
    const post = (body: unknown) => api('POST', '/api/me/views', body, as(repToken));
    const before = (await api('GET', `/api/me/views?object=${object}`, undefined, as(repToken))).body.data.length as number;
    const hiddenColumn = await post({ object, name: 'x', definition: { columns: ['name', 'cost'] } });
    expectError(hiddenColumn, 400, 'validation_failed');
    expect(hiddenColumn.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['definition/columns/1']);
    expectError(await post({ object, name: 'x', definition: { columns: ['name'], filter: { '>': [{ var: 'cost' }, 1] } } }), 400, 'rule_invalid');
    expectError(await post({ object, name: 'x', definition: { columns: ['name'], filter: { frobnicate: [] } } }), 400, 'rule_invalid');
    expectError(await post({ object, name: 'x', definition: { columns: ['name'], sort: 'cost' } }), 400, 'sort_invalid');
    expectError(await post({ object, name: 'x', definition: { columns: 'name' } }), 400, 'validation_failed');
    expectError(await post({ object, name: '', definition: { columns: ['name'] } }), 400, 'validation_failed');
    expectError(await post({ object: secret, name: 'x', definition: { columns: ['name'] } }), 403, 'forbidden');
    expectError(await api('GET', `/api/me/views?object=${secret}`, undefined, as(repToken)), 403, 'forbidden');
    expectError(await post({ object: 'no_such_thing', name: 'x', definition: { columns: ['name'] } }), 404, 'object_not_found');
    expectError(await api('GET', '/api/me/views/not-a-uuid', undefined, as(repToken)), 404, 'saved_view_not_found');
    expect((await api('GET', `/api/me/views?object=${object}`, undefined, as(repToken))).body.data).toHaveLength(before);
  });

  it('needs the CSRF token for writes from a browser session', async () => {
    const { base, engine } = server();
    const person = await createPasswordUser(engine);
    await engine.users.update(systemActor, person.id, { roles: ['administrator'] });
    const signIn = await postJson(`${base}/api/auth/sign-in`, { email: person.email, password: person.password });
    expect(signIn.status).toBe(200);
    const cookie = cookieHeaderFrom(signIn);
    const { csrf_token: csrf } = (await signIn.json()) as { csrf_token: string };
    const body = { object, name: 'From the browser', definition: { columns: ['name'] } };
    const refused = await postJson(`${base}/api/me/views`, body, { cookie });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const saved = await postJson(`${base}/api/me/views`, body, { cookie, 'x-csrf-token': csrf });
    expect(saved.status).toBe(201);
  });
});
