import SwaggerParser from '@apidevtools/swagger-parser';
import { systemActor, userActor } from '@crm/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentCacheFor } from '../../server/src/openapi/document-cache';
import { startTestServer, type FetchedDocument, type OpenApiJson, type Operation, type Schema, type TestServer } from './test-server';

/**
 * The document is cut to its reader: a sales rep who may read, create and edit opportunities
 * (amount read-only, margin hidden), only read accounts and not use contacts at all must find
 * exactly that in the document served to them, and nothing of what is hidden from them.
 */

const METHODS = ['get', 'post', 'patch', 'delete'] as const;

function methodsOf(document: OpenApiJson, path: string): string[] {
  const item = document.paths[path];
  return item ? METHODS.filter((method) => item[method] !== undefined) : [];
}

function parameter(operation: Operation, name: string): Schema {
  return operation.parameters!.find((p) => p.name === name) as Schema;
}

function enumOf(operation: Operation, name: string): unknown[] {
  return [...(((parameter(operation, name).schema as Schema).items as Schema).enum ?? [])];
}

async function expectValid(fetched: FetchedDocument): Promise<void> {
  expect(fetched.response.status).toBe(200);
  await SwaggerParser.validate(JSON.parse(fetched.text) as never);
}

describe('the document served to each viewer', () => {
  let server: TestServer;
  let repToken: string;
  let otherRepToken: string;
  let ownRepToken: string;
  let repId: string;

  async function userWithToken(name: string, roles: string[], scopes?: Record<string, ('create' | 'read' | 'edit' | 'delete' | 'export')[]>) {
    const user = await server.engine.users.create(systemActor, { name, roles });
    const { token } = await server.engine.auth.createToken(userActor(user.id), { name: 'openapi', ...(scopes ? { scopes } : {}) });
    return { id: user.id, token };
  }

  beforeAll(async () => {
    server = await startTestServer();
    await server.installSales();
    const { engine } = server;
    // A hidden field, a formula that reads it and a rollup over it: all three must disappear for the rep.
    await engine.fields.create(systemActor, 'opportunity', { name: 'margin', type: 'percent', label: 'Margin' });
    await engine.fields.create(systemActor, 'opportunity', {
      name: 'margin_value',
      type: 'formula',
      label: 'Margin value',
      result_type: 'number',
      expression: { '*': [{ var: 'amount' }, { var: 'margin' }] },
    });
    await engine.fields.create(systemActor, 'account', {
      name: 'best_margin',
      type: 'rollup',
      label: 'Best margin',
      child_object: 'opportunity',
      relationship_field: 'account',
      aggregate: 'max',
      aggregate_field: 'margin',
    });
    await engine.roles.create(systemActor, {
      name: 'doc_rep',
      label: 'Sales rep',
      objects: {
        opportunity: { read: true, create: true, edit: true, fields: { amount: 'read_only', margin: 'hidden' } },
        account: { read: true },
      },
    });
    ({ id: repId, token: repToken } = await userWithToken('Rep One', ['doc_rep']));
    ({ token: otherRepToken } = await userWithToken('Rep Two', ['doc_rep']));
    // The same access, reaching only the rep's own records: record scopes never change the document.
    await engine.roles.create(systemActor, {
      name: 'own_doc_rep',
      label: 'Sales rep (own records)',
      objects: {
        opportunity: { read: true, create: true, edit: true, read_scope: 'own', fields: { amount: 'read_only', margin: 'hidden' } },
        account: { read: true, read_scope: 'own' },
      },
    });
    ({ token: ownRepToken } = await userWithToken('Rep Three', ['own_doc_rep']));
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('a sales rep', () => {
    let rep: FetchedDocument;

    beforeAll(async () => {
      rep = await server.fetchDocument({ token: repToken });
    });

    it('gets a valid document, marked as theirs and never shared by caches', async () => {
      await expectValid(rep);
      expect(rep.document.info['x-crm-viewer']).toBe('user');
      expect(rep.response.headers.get('cache-control')).toBe('private, no-cache');
    });

    it('finds no trace of contacts: no paths, no schemas, no tag', () => {
      const { document } = rep;
      expect(Object.keys(document.paths).filter((path) => path.startsWith('/api/records/contact'))).toEqual([]);
      expect(Object.keys(document.components.schemas).filter((name) => name === 'contact' || name.startsWith('contact_'))).toEqual([]);
      expect(document.tags.map((t) => t.name)).not.toContain('contact');
      // The rep still sees the lookup to a contact, but expanded it is only an id.
      expect(document.components.schemas.opportunity!.properties!.primary_contact).toMatchObject({
        oneOf: [{ format: 'uuid' }, { $ref: '#/components/schemas/RecordReference' }, { type: 'null' }],
      });
    });

    it('finds margin nowhere, nor what is computed from it', () => {
      expect(rep.text).not.toMatch(/margin/i);
      const { schemas } = rep.document.components;
      expect(Object.keys(schemas.account!.properties!)).toEqual(expect.arrayContaining(['open_pipeline', 'won_deals']));
    });

    it('reads amount but never sends it', () => {
      const { schemas } = rep.document.components;
      expect(schemas.opportunity!.properties!.amount).toMatchObject({ readOnly: true, type: ['string', 'null'] });
      for (const name of ['opportunity_create', 'opportunity_update', 'opportunity_bulk_record']) {
        expect(Object.keys(schemas[name]!.properties!), name).not.toContain('amount');
        expect(Object.keys(schemas[name]!.properties!), name).toContain('stage');
      }
      expect(schemas.opportunity_create!.required).toEqual(['title', 'account']);
    });

    it('lists only the visible fields as fields, sort and expand choices', () => {
      const list = rep.document.paths['/api/records/opportunity']!.get as Operation;
      expect(enumOf(list, 'fields')).toContain('amount');
      expect(enumOf(list, 'sort')).toEqual(expect.arrayContaining(['amount', '-amount']));
      expect(enumOf(list, 'expand')).toEqual(['created_by', 'updated_by', 'owner_id', 'account', 'primary_contact']);
    });

    it('gets exactly the operations the role grants', () => {
      const { document } = rep;
      expect(methodsOf(document, '/api/records/opportunity')).toEqual(['get', 'post']);
      expect(methodsOf(document, '/api/records/opportunity/{id}')).toEqual(['get', 'patch']);
      expect(methodsOf(document, '/api/records/opportunity/{id}/restore')).toEqual([]);
      expect(methodsOf(document, '/api/records/opportunity/export')).toEqual([]);
      expect(methodsOf(document, '/api/records/opportunity/transfer')).toEqual(['post']);
      expect(methodsOf(document, '/api/records/opportunity/import')).toEqual(['post']);
      expect(methodsOf(document, '/api/records/opportunity/{id}/shares')).toEqual(['get', 'post']);
      expect(methodsOf(document, '/api/records/opportunity/{id}/history')).toEqual(['get']);
      expect(document.components.schemas.opportunity_bulk_request!.properties!.operation!.enum).toEqual(['create', 'update', 'upsert']);

      expect(methodsOf(document, '/api/records/account')).toEqual(['get']);
      expect(methodsOf(document, '/api/records/account/{id}')).toEqual(['get']);
      expect(methodsOf(document, '/api/records/account/bulk')).toEqual([]);
      expect(methodsOf(document, '/api/records/account/transfer')).toEqual([]);
      expect(methodsOf(document, '/api/records/account/import')).toEqual([]);
      expect(methodsOf(document, '/api/records/account/{id}/shares')).toEqual(['get']);
      expect(document.components.schemas.account_create).toBeUndefined();
      expect(document.components.schemas.account_update).toBeUndefined();
    });

    it('gets the metadata and organisation reads, but none of the administration', () => {
      const { document } = rep;
      expect(methodsOf(document, '/api/meta/objects')).toEqual(['get']);
      expect(methodsOf(document, '/api/meta/objects/{object}')).toEqual(['get']);
      expect(methodsOf(document, '/api/meta/objects/{object}/restore')).toEqual([]);
      expect(methodsOf(document, '/api/meta/objects/{object}/fields/{field}')).toEqual(['get']);
      expect(methodsOf(document, '/api/users')).toEqual(['get']);
      expect(methodsOf(document, '/api/users/{id}')).toEqual(['get']);
      expect(methodsOf(document, '/api/users/{id}/password')).toEqual(['post']);
      expect(methodsOf(document, '/api/departments')).toEqual(['get']);
      expect(methodsOf(document, '/api/departments/{id}')).toEqual([]);
      expect(methodsOf(document, '/api/meta/roles')).toEqual([]);
      expect(methodsOf(document, '/api/audit')).toEqual([]);
      expect(methodsOf(document, '/api/auth/tokens')).toEqual(['get', 'post']);
      expect(methodsOf(document, '/api/auth/password')).toEqual(['post']);
      // Components only the administration uses are not there either.
      for (const name of ['ObjectCreateRequest', 'FieldPatch', 'RoleDefinition', 'AuditRecord', 'UserCreateRequest']) {
        expect(document.components.schemas[name], name).toBeUndefined();
      }
      expect(document.tags.map((t) => t.name)).not.toContain('roles');
    });
  });

  it('builds one document per kind of access: reps with the same access share it, the administrator has their own', async () => {
    const cache = documentCacheFor(server.engine);
    const first = await server.fetchDocument({ token: repToken });
    const builds = cache.builds;
    const again = await server.fetchDocument({ token: repToken });
    const other = await server.fetchDocument({ token: otherRepToken });
    const own = await server.fetchDocument({ token: ownRepToken });
    expect(cache.builds).toBe(builds);
    expect(own.response.headers.get('etag')).toBe(first.response.headers.get('etag'));
    expect(other.text).toBe(first.text);
    expect(other.response.headers.get('etag')).toBe(first.response.headers.get('etag'));
    expect(again.response.headers.get('etag')).toBe(first.response.headers.get('etag'));
    const admin = await server.fetchDocument();
    expect(admin.response.headers.get('etag')).not.toBe(first.response.headers.get('etag'));
    await server.fetchDocument();
    expect(cache.builds).toBe(builds + 1);
    const revalidated = await server.fetchDocument({ token: otherRepToken, headers: { 'if-none-match': first.response.headers.get('etag')! } });
    expect(revalidated.response.status).toBe(304);
  });

  it('gives the administrator everything', async () => {
    const admin = await server.fetchDocument();
    await expectValid(admin);
    const { document } = admin;
    expect(methodsOf(document, '/api/records/contact')).toEqual(['get', 'post']);
    expect(methodsOf(document, '/api/records/account/{id}')).toEqual(['get', 'patch', 'delete']);
    expect(methodsOf(document, '/api/records/opportunity/export')).toEqual(['get']);
    expect(methodsOf(document, '/api/meta/roles')).toEqual(['get', 'post']);
    expect(methodsOf(document, '/api/audit')).toEqual(['get']);
    const { schemas } = document.components;
    expect(Object.keys(schemas.opportunity_create!.properties!)).toEqual(expect.arrayContaining(['amount', 'margin']));
    expect(Object.keys(schemas.opportunity!.properties!)).toEqual(expect.arrayContaining(['margin', 'margin_value']));
    expect(schemas.opportunity!.properties!.amount!.readOnly).toBeUndefined();
    expect(Object.keys(schemas.account!.properties!)).toContain('best_margin');
    expect(schemas.opportunity!.properties!.primary_contact).toMatchObject({ oneOf: [{ format: 'uuid' }, { $ref: '#/components/schemas/contact' }, { type: 'null' }] });
  });

  it('cuts a scoped token further: its scopes, and no token creation', async () => {
    const { token } = await server.engine.auth.createToken(userActor(repId), { name: 'read-only script', scopes: { opportunity: ['read'] } });
    const scoped = await server.fetchDocument({ token });
    await expectValid(scoped);
    const { document } = scoped;
    expect(methodsOf(document, '/api/records/opportunity')).toEqual(['get']);
    expect(methodsOf(document, '/api/records/opportunity/{id}')).toEqual(['get']);
    expect(methodsOf(document, '/api/records/opportunity/bulk')).toEqual([]);
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/api/records/account'))).toEqual([]);
    expect(methodsOf(document, '/api/auth/tokens')).toEqual(['get']);
    expect(scoped.text).not.toMatch(/margin/i);
  });

  it('follows a change of the role on the next request', async () => {
    await server.engine.roles.update(systemActor, 'doc_rep', { objects: { opportunity: { read: true, create: true, edit: true, delete: true, export: true }, account: { read: true } } });
    const { document, text } = await server.fetchDocument({ token: repToken });
    expect(methodsOf(document, '/api/records/opportunity/{id}')).toEqual(['get', 'patch', 'delete']);
    expect(methodsOf(document, '/api/records/opportunity/export')).toEqual(['get']);
    expect(Object.keys(document.components.schemas.opportunity_create!.properties!)).toEqual(expect.arrayContaining(['amount', 'margin']));
    expect(text).toMatch(/margin_value/);
  });

  it('describes the API without any object to an anonymous caller', async () => {
    const anonymous = await server.fetchDocument({ token: null });
    await expectValid(anonymous);
    const { document } = anonymous;
    expect(document.info['x-crm-viewer']).toBe('anonymous');
    expect(document.info.description).toContain('without credentials');
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/api/records'))).toEqual([]);
    for (const object of ['account', 'contact', 'opportunity']) expect(document.components.schemas[object], object).toBeUndefined();
    expect(anonymous.text).not.toMatch(/margin|opportunit/i);
    // The API surface itself is public knowledge: every fixed route is described.
    expect(methodsOf(document, '/api/meta/objects')).toEqual(['get', 'post']);
    expect(methodsOf(document, '/api/meta/roles')).toEqual(['get', 'post']);
    expect(methodsOf(document, '/api/users')).toEqual(['get', 'post']);
  });

  it('uses the session cookie like the rest of the API, and refuses a bad token with 401', async () => {
    await server.engine.users.update(systemActor, repId, { email: 'rep.one@example.com' });
    await server.engine.auth.setPassword(systemActor, repId, 'correct horse battery');
    const signIn = await fetch(`${server.base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'rep.one@example.com', password: 'correct horse battery' }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const withSession = await server.fetchDocument({ token: null, headers: { cookie } });
    const withToken = await server.fetchDocument({ token: repToken });
    expect(withSession.document.info['x-crm-viewer']).toBe('user');
    expect(withSession.response.headers.get('etag')).toBe(withToken.response.headers.get('etag'));

    // A stale cookie is no credential: the browser still gets the public document.
    const stale = await server.fetchDocument({ token: null, headers: { cookie: 'crm_session=not-a-session' } });
    expect(stale.response.status).toBe(200);
    expect(stale.document.info['x-crm-viewer']).toBe('anonymous');

    // A bad bearer token is a 401, as everywhere, in the one error shape.
    const refused = await server.fetchDocument({ token: 'crm_' + 'x'.repeat(43) });
    expect(refused.response.status).toBe(401);
    expect(refused.response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});
