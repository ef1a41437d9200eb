import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

describe('metadata API over HTTP', () => {
  it('creates, reads, changes and deletes objects, fields, layouts and views, returning the revision', async () => {
    const { api } = server();
    const name = uniqueName('deal');
    const created = await api('POST', '/api/meta/objects', { name, label: { en: 'Deal', 'zh-CN': '交易' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, label: { en: 'Deal', 'zh-CN': '交易' } });
    const revision = created.body.revision as number;
    expect(revision).toBeGreaterThan(0);

    const amount = await api('POST', `/api/meta/objects/${name}/fields`, { name: 'amount', type: 'currency', label: 'Amount', required: true });
    expect(amount.status).toBe(201);
    expect(amount.body).toMatchObject({ name: 'amount', type: 'currency', revision: revision + 1 });
    await api('POST', `/api/meta/objects/${name}/fields`, { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New' }] });
    await api('POST', `/api/meta/objects/${name}/fields`, { name: 'title', type: 'text', label: 'Title' });

    const list = await api('GET', `/api/meta/objects/${name}/fields`);
    expect(list.body.data.map((f: { name: string }) => f.name)).toEqual(['amount', 'stage', 'title']);
    expect(list.body.revision).toBe(revision + 3);
    const withSystem = await api('GET', `/api/meta/objects/${name}/fields?include_system=true`);
    expect(withSystem.body.data.map((f: { name: string }) => f.name)).toContain('owner_id');

    const patched = await api('PATCH', `/api/meta/objects/${name}`, { label: 'Big deal', title_field: 'title' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ label: 'Big deal', title_field: 'title', revision: revision + 4 });
    expect((await api('GET', `/api/meta/objects/${name}`)).body).toMatchObject({ label: 'Big deal', revision: revision + 4 });

    const layout = await api('POST', `/api/meta/objects/${name}/layouts`, { name: 'main', type: 'form', sections: [{ columns: 2, fields: [{ field: 'title' }, { field: 'amount' }] }] });
    expect(layout.status).toBe(201);
    const view = await api('POST', `/api/meta/objects/${name}/views`, { name: 'board', type: 'kanban', group_by: 'stage', card_fields: ['title'] });
    expect(view.status).toBe(201);
    expect((await api('PATCH', `/api/meta/objects/${name}/views/board`, { label: 'Board' })).body).toMatchObject({ label: 'Board' });
    expect((await api('GET', `/api/meta/objects/${name}/layouts`)).body.data).toHaveLength(1);
    expect((await api('DELETE', `/api/meta/objects/${name}/layouts/main`)).status).toBe(200);
    expect((await api('GET', `/api/meta/objects/${name}/layouts/main`)).status).toBe(404);

    expect((await api('PATCH', `/api/meta/objects/${name}/fields/title`, { name: 'headline' })).body).toMatchObject({ name: 'headline' });
    expect((await api('GET', `/api/meta/objects/${name}`)).body.title_field).toBe('headline');
    expect((await api('DELETE', `/api/meta/objects/${name}/fields/amount`)).status).toBe(200);

    expect((await api('DELETE', `/api/meta/objects/${name}`)).body).toMatchObject({ name });
    expect((await api('GET', `/api/meta/objects/${name}`)).status).toBe(404);
    expect((await api('POST', `/api/meta/objects/${name}/restore`)).status).toBe(200);
    expect((await api('GET', `/api/meta/objects/${name}`)).status).toBe(200);
    await api('DELETE', `/api/meta/objects/${name}`);
    expect((await api('DELETE', `/api/meta/objects/${name}?purge=true`)).status).toBe(200);
    expect((await api('POST', `/api/meta/objects/${name}/restore`)).status).toBe(404);
  });

  it('answers bad metadata with the one error shape and the right status', async () => {
    const { api } = server();
    const name = uniqueName('acct');
    await api('POST', '/api/meta/objects', { name, label: 'Account', fields: [{ name: 'code', type: 'text', label: 'Code' }] });
    await api('POST', `/api/records/${name}`, { code: 'ABC' });

    const badName = await api('POST', '/api/meta/objects', { name: 'Bad Name', label: 'X' });
    expect(badName.status).toBe(400);
    expect(badName.body.error).toMatchObject({ code: 'invalid_api_name', fields: [] });
    expect(badName.body.error.message).toContain('Bad Name');

    const zh = await api('POST', '/api/meta/objects', { name: 'select', label: 'X' }, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.body.error.message).toContain('无效');

    const badField = await api('POST', `/api/meta/objects/${name}/fields`, { name: 'tier', type: 'select', label: 'Tier', options: 'gold' });
    expect(badField.status).toBe(400);
    expect(badField.body.error.code).toBe('metadata_invalid');
    expect(badField.body.error.fields[0]).toMatchObject({ path: 'options', code: 'invalid' });

    expect((await api('POST', '/api/meta/objects', { name, label: 'Again' })).status).toBe(409);
    expect((await api('GET', '/api/meta/objects/no_such_object')).body.error).toMatchObject({ code: 'object_not_found' });
    expect((await api('GET', `/api/meta/objects/${name}/fields/nope`)).status).toBe(404);

    const lossy = await api('PATCH', `/api/meta/objects/${name}/fields/code`, { type: 'integer' });
    expect(lossy.status).toBe(409);
    expect(lossy.body.error.code).toBe('type_change_refused');
    const converted = await api('PATCH', `/api/meta/objects/${name}/fields/code?convert=null_invalid`, { type: 'integer' });
    expect(converted.status).toBe(200);

    expect((await api('GET', `/api/meta/objects?colour=red`)).status).toBe(400);
    expect((await api('POST', '/api/meta/objects', '{not json')).body.error.code).toBe('validation_failed');
    const notJson = await fetch(`${server().base}/api/meta/objects`, { method: 'POST', headers: { authorization: `Bearer ${server().token}`, 'content-type': 'text/plain' }, body: 'x' });
    expect(notJson.status).toBe(415);
  });

  it('refuses every metadata route without credentials', async () => {
    const { base } = server();
    for (const [method, path] of [
      ['GET', '/api/meta/objects'],
      ['POST', '/api/meta/objects'],
      ['GET', '/api/meta/objects/x/fields'],
      ['DELETE', '/api/meta/objects/x'],
    ]) {
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
  });
});
