import { systemActor, userActor } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniqueName, useTestServer, type ApiResponse } from '../support/test-server';

/**
 * GET /api/search over real HTTP: pinyin and initials find Chinese names; a rep finds only the
 * records their scope lets them read, and never by a field hidden from them.
 */

const server = useTestServer();

let account: string;
let contact: string;
let hiddenOnly: string;
let repToken: string;

async function search(q: string, token?: string): Promise<ApiResponse> {
  return server().api('GET', `/api/search?q=${encodeURIComponent(q)}`, undefined, token ? { authorization: `Bearer ${token}` } : {});
}

function titles(response: ApiResponse, object: string): string[] {
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const group = (response.body.data as { object: string; hits: { title: string }[] }[]).find((g) => g.object === object);
  return (group?.hits ?? []).map((h) => h.title).sort();
}

beforeAll(async () => {
  const { api, engine } = server();
  account = uniqueName('account');
  contact = uniqueName('contact');
  hiddenOnly = uniqueName('secret');
  const made = (response: ApiResponse) => expect(response.status, JSON.stringify(response.body)).toBe(201);
  made(
    await api('POST', '/api/meta/objects', {
      name: account,
      label: { en: 'Account', 'zh-CN': '客户' },
      title_field: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'city', type: 'text', label: 'City', searchable: true },
        { name: 'code_name', type: 'text', label: 'Code name', searchable: true },
      ],
    }),
  );
  made(await api('POST', '/api/meta/objects', { name: contact, label: 'Contact', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] }));
  made(await api('POST', '/api/meta/objects', { name: hiddenOnly, label: 'Secret', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] }));
  const role = uniqueName('rep');
  await engine.roles.create(systemActor, {
    name: role,
    label: 'Rep',
    objects: {
      [account]: { read: true, create: true, edit: true, read_scope: 'own', edit_scope: 'own', fields: { code_name: 'hidden' } },
      [contact]: { read: false },
      [hiddenOnly]: { read: true, read_scope: 'all', fields: { name: 'hidden' } },
    },
  });
  const rep = await engine.users.create(systemActor, { name: 'Rep', email: `${uniqueName('rep')}@example.com`, roles: [role] });
  repToken = (await engine.auth.createToken(userActor(rep.id), { name: 'ui' })).token;
  // The administrator's accounts, and one of the rep's own.
  made(await api('POST', `/api/records/${account}`, { name: '华信科技', city: '北京', code_name: '猎鹰' }));
  made(await api('POST', `/api/records/${account}`, { name: '中达物流', city: '上海', code_name: 'huaxin' }));
  made(await api('POST', `/api/records/${contact}`, { name: '华信 Li Wei' }));
  made(await api('POST', `/api/records/${hiddenOnly}`, { name: '华信机密' }));
  await engine.records.create(userActor(rep.id), account, { name: '华信电子', city: '深圳' });
});

describe('global search', () => {
  it('finds Chinese names by pinyin and initials, in every object, with a title and a subtitle', async () => {
    expect(titles(await search('huaxin'), account)).toEqual(['中达物流', '华信电子', '华信科技']);
    expect(titles(await search('hx'), account)).toEqual(['华信电子', '华信科技']);
    expect(titles(await search('hx'), contact)).toEqual(['华信 Li Wei']);
    expect(titles(await search('华信'), account)).toEqual(['华信电子', '华信科技']);
    const beijing = await search('beijing');
    expect(beijing.body.data).toEqual([{ object: account, hits: [{ id: expect.any(String), title: '华信科技', subtitle: '北京' }] }]);
    expect((await server().api('GET', `/api/search?q=hx&limit=1`)).body.data.find((g: { object: string }) => g.object === account).hits).toHaveLength(1);
  });

  it('gives a rep only the records and objects they may read, never by a hidden field', async () => {
    // Own records only; the contact object is not theirs to read; the secret's only searched field is hidden.
    const found = await search('hx', repToken);
    expect(found.status).toBe(200);
    expect(found.body.data.map((g: { object: string }) => g.object)).toEqual([account]);
    expect(titles(found, account)).toEqual(['华信电子']);
    // code_name is hidden from the rep: neither searched ("lieying" is 猎鹰's pinyin) nor returned.
    expect(titles(await search('lieying'), account)).toEqual(['华信科技']);
    expect((await search('lieying', repToken)).body.data).toEqual([]);
    expect(JSON.stringify((await search('huaxin', repToken)).body)).not.toContain('code_name');
    expect(JSON.stringify((await search('huaxin', repToken)).body)).not.toContain('猎鹰');
  });

  it('refuses a bad search with the one error shape, reading nothing', async () => {
    for (const q of ['x'.repeat(201), '']) {
      const refused = await search(q);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'validation_failed', fields: [expect.objectContaining({ path: 'q' })] });
    }
    expect((await server().api('GET', '/api/search')).status).toBe(400);
    expect((await server().api('GET', '/api/search?q=hx&limit=0')).status).toBe(400);
    expect((await server().api('GET', '/api/search?q=hx&other=1')).status).toBe(400);
  });
});
