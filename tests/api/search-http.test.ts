import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

describe('text search over HTTP', () => {
  it('finds Chinese and English text in the searched fields, follows a field made searchable, and refuses a search with nothing to search', async () => {
    const { api } = server();
    const account = uniqueName('account');
    expect(
      (
        await api('POST', '/api/meta/objects', {
          name: account,
          label: 'Account',
          title_field: 'name',
          fields: [
            { name: 'name', type: 'text', label: 'Name' },
            { name: 'email', type: 'email', label: 'Email' },
          ],
        })
      ).status,
    ).toBe(201);
    for (const record of [
      { name: '北京华信科技有限公司', email: 'li.wei@huaxin.com' },
      { name: 'HuaXin Trading 50% off', email: 'sales@hx.cn' },
      { name: '上海中达物流', email: 'zhang@zhongda.cn' },
    ]) {
      expect((await api('POST', `/api/records/${account}`, record)).status).toBe(201);
    }
    const search = async (q: string) => {
      const response = await api('GET', `/api/records/${account}?q=${encodeURIComponent(q)}&count=true&fields=name&sort=name`);
      expect(response.status).toBe(200);
      return { total: response.body.total, names: response.body.data.map((r: { name: string }) => r.name) };
    };
    expect(await search('华信')).toEqual({ total: 1, names: ['北京华信科技有限公司'] });
    // Latin letters also spell Chinese names in pinyin (the search keys).
    expect(await search('HUAXIN')).toEqual({ total: 2, names: ['HuaXin Trading 50% off', '北京华信科技有限公司'] });
    expect(await search('Trading')).toEqual({ total: 1, names: ['HuaXin Trading 50% off'] });
    expect(await search('0%')).toEqual({ total: 1, names: ['HuaXin Trading 50% off'] });
    expect(await search('中达物流')).toEqual({ total: 1, names: ['上海中达物流'] });
    // The e-mail is not searched until it is made searchable.
    expect(await search('zhang@')).toEqual({ total: 0, names: [] });
    expect((await api('PATCH', `/api/meta/objects/${account}/fields/email`, { searchable: true })).status).toBe(200);
    expect(await search('zhang@')).toEqual({ total: 1, names: ['上海中达物流'] });
    expect(await search('huaxin')).toEqual({ total: 2, names: ['HuaXin Trading 50% off', '北京华信科技有限公司'] });

    // With no field searched there is nothing to search in: a 400, not an empty list.
    expect((await api('PATCH', `/api/meta/objects/${account}/fields/name`, { searchable: false })).status).toBe(200);
    expect((await api('PATCH', `/api/meta/objects/${account}/fields/email`, { searchable: false })).status).toBe(200);
    const refused = await api('GET', `/api/records/${account}?q=${encodeURIComponent('华信')}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', fields: [expect.objectContaining({ path: 'search' })] });
  });
});
