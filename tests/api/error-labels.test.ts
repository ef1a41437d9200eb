import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();
const zh = { 'accept-language': 'zh-CN' };

async function setup(): Promise<string> {
  const { api } = server();
  const deal = uniqueName('deal');
  const created = await api('POST', '/api/meta/objects', {
    name: deal,
    label: { en: 'Deal', 'zh-CN': '商机' },
    fields: [
      { name: 'title', type: 'text', label: { en: 'Title', 'zh-CN': '标题' }, required: true },
      { name: 'amount', type: 'currency', label: { en: 'Amount', 'zh-CN': '金额' } },
      { name: 'weighted', type: 'formula', label: { en: 'Weighted', 'zh-CN': '加权金额' }, expression: { '*': [{ var: 'amount' }, 0.5] }, result_type: 'number' },
    ],
  });
  expect(created.status).toBe(201);
  return deal;
}

describe('errors over HTTP name fields by label in the caller’s language', () => {
  it('in a create, a bulk row and an import row', async () => {
    const { api } = server();
    const deal = await setup();
    const create = await api('POST', `/api/records/${deal}`, { amount: 'lots' }, zh);
    expect(create.status).toBe(400);
    expect(create.body).toEqual({
      error: {
        code: 'validation_failed',
        message: '输入无效：金额 必须是数字; 标题 为必填项',
        fields: [
          { path: 'amount', code: 'type', message: '金额 必须是数字', field: 'amount', label: '金额' },
          { path: 'title', code: 'required', message: '标题 为必填项', field: 'title', label: '标题' },
        ],
      },
    });
    const english = await api('POST', `/api/records/${deal}`, { amount: '1' });
    expect(english.body.error.message).toBe('The input is not valid: Title is required');

    const bulk = await api('POST', `/api/records/${deal}/bulk`, { operation: 'create', records: [{ title: 'ok' }, { amount: '1' }] }, zh);
    expect(bulk.status).toBe(200);
    expect(bulk.body.results[1]).toEqual({
      index: 1,
      status: 'failed',
      error: { code: 'validation_failed', message: '输入无效：标题 为必填项', fields: [{ path: 'title', code: 'required', message: '标题 为必填项', field: 'title', label: '标题' }] },
    });

    const csv = ['标题,金额', 'Pilot,100', ',200', 'Big,abc'].join('\n');
    const imported = await api('POST', `/api/records/${deal}/import`, csv, { ...zh, 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    expect(imported.body.results.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([[2, 'created'], [3, 'failed'], [4, 'failed']]);
    expect(imported.body.results[1].error.fields).toEqual([{ path: 'title', code: 'required', message: '标题 为必填项', field: 'title', label: '标题' }]);
    expect(imported.body.results[2].error).toMatchObject({ message: '输入无效：金额 必须是数字', fields: [{ field: 'amount', label: '金额' }] });
  });

  it('in a refused field delete, naming each user and what it does with the field', async () => {
    const { api } = server();
    const deal = await setup();
    const refused = await api('DELETE', `/api/meta/objects/${deal}/fields/amount`, undefined, zh);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: {
        code: 'dependency_exists',
        message: '无法删除 字段 `amount`（金额）：它正被 公式字段 `weighted`（加权金额） 使用',
        fields: [{ path: `objects/${deal}/fields/weighted/expression/*/0/var`, code: 'used_by', message: '公式字段 `weighted`（加权金额） 在表达式中读取 金额' }],
      },
    });
  });
});
