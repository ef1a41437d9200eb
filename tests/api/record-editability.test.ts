import { installTemplate, MAX_EDITABILITY_IDS, systemActor, userActor } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../support/test-server';

/**
 * GET /api/records/:object/editability: which records a reader may change, so the record page
 * offers edit, delete and transfer only where the write would pass (a record shared for reading
 * is read-only to the rep; one shared for editing is not).
 */

const server = useTestServer();
let rep: { id: string; token: string };
const ids: Record<'own' | 'sharedRead' | 'sharedEdit' | 'hidden' | 'deleted', string> = { own: '', sharedRead: '', sharedEdit: '', hidden: '', deleted: '' };

const asRep = (method: string, path: string, body?: unknown) => server().api(method, path, body, { authorization: `Bearer ${rep.token}` });
const editability = (list: readonly string[]) => asRep('GET', `/api/records/opportunity/editability?ids=${list.join(',')}`);

beforeAll(async () => {
  const { engine } = server();
  await installTemplate(engine, systemActor, readTemplate('sales'), { sampleData: false });
  const department = await engine.departments.create(systemActor, { name: 'Editability' });
  const user = await engine.users.create(systemActor, { name: 'Rep', email: 'editability-rep@example.com', roles: ['sales_rep'], department_id: department.id });
  rep = { id: user.id, token: (await engine.auth.createToken(userActor(user.id), { name: 'tests' })).token };
  const account = await server().api('POST', '/api/records/account', { name: 'Editability account' });
  expect(account.status).toBe(201);
  const create = async (title: string, owner?: string) => {
    const created = await server().api('POST', '/api/records/opportunity', { title, account: account.body.id, amount: '10.00', ...(owner ? { owner_id: owner } : {}) });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  ids.own = await create('Rep own deal', rep.id);
  ids.sharedRead = await create('Shared for reading');
  ids.sharedEdit = await create('Shared for editing');
  ids.hidden = await create('Not shared');
  ids.deleted = await create('Deleted of the rep', rep.id);
  expect((await server().api('POST', `/api/records/opportunity/${ids.sharedRead}/shares`, { user_id: rep.id, access: 'read' })).status).toBe(201);
  expect((await server().api('POST', `/api/records/opportunity/${ids.sharedEdit}/shares`, { user_id: rep.id, access: 'edit' })).status).toBe(201);
  expect((await server().api('DELETE', `/api/records/opportunity/${ids.deleted}`)).status).toBe(200);
});

describe('record editability', () => {
  it('answers for the records the reader may read, editable as the writes would decide', async () => {
    const answer = await editability([ids.own, ids.sharedRead, ids.sharedEdit, ids.hidden, ids.deleted, 'not-an-id']);
    expect(answer.status).toBe(200);
    const byId = new Map((answer.body.data as { id: string; editable: boolean }[]).map((state) => [state.id, state.editable]));
    expect(Object.fromEntries([...byId].map(([id, editable]) => [Object.entries(ids).find(([, value]) => value === id)![0], editable]))).toEqual({ own: true, sharedRead: false, sharedEdit: true });

    // The answer matches what the writes do (both records are at their first version).
    const readOnly = await server().api('PATCH', `/api/records/opportunity/${ids.sharedRead}`, { title: 'Changed' }, { authorization: `Bearer ${rep.token}`, 'if-match': '"1"' });
    expect(readOnly.status, JSON.stringify(readOnly.body)).toBe(403);
    const shared = await server().api('PATCH', `/api/records/opportunity/${ids.sharedEdit}`, { title: 'Changed by the rep' }, { authorization: `Bearer ${rep.token}`, 'if-match': '"1"' });
    expect(shared.status).toBe(200);

    // The administrator may change all of the live ones.
    const admin = await server().api('GET', `/api/records/opportunity/editability?ids=${[ids.own, ids.sharedRead, ids.hidden].join(',')}`);
    expect((admin.body.data as { editable: boolean }[]).map((state) => state.editable)).toEqual([true, true, true]);
  });

  it('refuses too many ids and an unknown object, and answers nothing for no ids', async () => {
    const many = await editability(Array.from({ length: MAX_EDITABILITY_IDS + 1 }, () => ids.own));
    expect(many.status).toBe(400);
    expect(many.body.error.fields[0]).toMatchObject({ path: 'ids', code: 'invalid' });
    expect((await asRep('GET', '/api/records/ghost_object/editability?ids=' + ids.own)).status).toBe(404);
    expect((await asRep('GET', '/api/records/opportunity/editability')).body).toEqual({ data: [] });
  });
});
