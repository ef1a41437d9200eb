import { userActor } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

describe('metadata changes in GET /api/audit', () => {
  it('finds a change by event and subject, with who, the revision and the document before and after', async () => {
    const { api, userId } = server();
    const deal = uniqueName('deal');
    expect((await api('POST', '/api/meta/objects', { name: deal, label: 'Deal' })).status).toBe(201);
    expect((await api('POST', `/api/meta/objects/${deal}/fields`, { name: 'amount', type: 'currency', label: 'Amount' })).status).toBe(201);
    const patched = await api('PATCH', `/api/meta/objects/${deal}/fields/amount`, { label: 'Value' });
    expect(patched.status).toBe(200);

    const changes = await api('GET', `/api/audit?event=field_changed&subject=${deal}.amount`);
    expect(changes.status).toBe(200);
    expect(changes.body.data).toHaveLength(1);
    expect(changes.body.data[0]).toMatchObject({
      event: 'field_changed',
      subject: `${deal}.amount`,
      actor_id: userId,
      details: { revision: patched.body.revision, before: { label: 'Amount' }, after: { label: 'Value' } },
    });

    const roleName = uniqueName('reader');
    await api('POST', '/api/meta/roles', { name: roleName, label: 'Reader', objects: { [deal]: { read: true } } });
    await api('PATCH', `/api/meta/roles/${roleName}`, { objects: { [deal]: { read: true, export: true } } });
    const role = await api('GET', `/api/audit?subject=role:${roleName}`);
    expect(role.body.data.map((e: { event: string }) => e.event)).toEqual(['role_changed', 'role_created']);
    expect(role.body.data[0].details).toMatchObject({ before: { objects: { [deal]: { read: true } } }, after: { objects: { [deal]: { read: true, export: true } } } });
  });

  it('selects every metadata change with kind=metadata, one kind of document with kind=<kind>', async () => {
    const { api, engine } = server();
    const deal = uniqueName('deal');
    await api('POST', '/api/meta/objects', { name: deal, label: 'Deal', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    await api('POST', `/api/meta/objects/${deal}/views`, { name: 'all', type: 'list', columns: ['title'] });
    const clerk = await api('POST', '/api/users', { name: 'Clerk' });
    await api('POST', `/api/users/${clerk.body.id}/password`, { password: 'a long enough password' });

    const metadata = await api('GET', '/api/audit?kind=metadata&limit=3');
    expect(metadata.body.data.map((e: { event: string; subject: string }) => [e.event, e.subject])).toEqual([
      ['user_created', `user:${clerk.body.id}`],
      ['view_created', `${deal}.all`],
      ['object_created', deal],
    ]);
    const views = await api('GET', `/api/audit?kind=view&subject=${deal}.all`);
    expect(views.body.data.map((e: { event: string }) => e.event)).toEqual(['view_created']);
    expect((await api('GET', `/api/audit?kind=object&subject=${deal}.all`)).body.data).toEqual([]);

    const bad = await api('GET', '/api/audit?kind=records');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'kind', code: 'invalid' }] });

    // A refused change leaves nothing behind.
    const refused = await api('POST', `/api/meta/objects/${deal}/fields`, { name: 'twice', type: 'formula', label: 'Twice', result_type: 'number', expression: { '*': [{ var: 'ghost' }, 2] } });
    expect(refused.status).toBe(400);
    expect((await api('GET', `/api/audit?subject=${deal}.twice`)).body.data).toEqual([]);

    const { token } = await engine.auth.createToken(userActor(clerk.body.id), { name: 'clerk' });
    const forbidden = await api('GET', '/api/audit?kind=metadata', undefined, { authorization: `Bearer ${token}` });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
  });
});
