import { describe, expect, it } from 'vitest';
import { MAX_BULK_ROWS } from '@crm/engine';
import { uniqueName, useTestServer, type ApiResponse } from '../support/test-server';

const server = useTestServer();
const zh = { 'accept-language': 'zh-CN' };

/** Formats and protocols a Chinese message may name as they are (see engine/src/errors/zh-cn-messages.test.ts). */
const KNOWN_TOKENS = ['JSON-Logic', 'json-logic-js', 'JSON', 'CSV', 'NDJSON', 'API', 'URL', 'SQL', 'UTF-8', 'ID'];

/**
 * The whole error in Chinese: its message and every field message hold no English word of three
 * or more letters, except the names and values the caller sent (`given`).
 */
function expectChinese(response: ApiResponse, given: readonly string[]): void {
  const fields = response.body.error.fields as { path: string; message: string }[];
  const texts = [response.body.error.message as string, ...fields.map((f) => f.message)];
  // Issue paths (`line/2`, `/==/0/var`) are API identifiers, named as they are.
  const paths = fields.map((f) => f.path).filter(Boolean);
  for (const text of texts) {
    const rest = [...given, ...paths, ...KNOWN_TOKENS].sort((a, b) => b.length - a.length).reduce((left, token) => left.split(token).join(' '), text);
    expect(rest.match(/[A-Za-z]{3,}/)?.[0], text).toBeUndefined();
    expect(text).toMatch(/[\u4e00-\u9fff]/);
  }
}

async function createDeal(): Promise<string> {
  const { api } = server();
  const deal = uniqueName('deal');
  const created = await api('POST', '/api/meta/objects', {
    name: deal,
    label: { en: 'Deal', 'zh-CN': '商机' },
    fields: [
      { name: 'title', type: 'text', label: { en: 'Title', 'zh-CN': '标题' } },
      { name: 'amount', type: 'integer', label: { en: 'Amount', 'zh-CN': '金额' } },
      { name: 'notes', type: 'json', label: { en: 'Notes', 'zh-CN': '备注' } },
    ],
  });
  expect(created.status).toBe(201);
  return deal;
}

describe('errors over HTTP in zh-CN hold no English beyond what the caller sent', () => {
  it('a bulk request over the row limit', async () => {
    const { api } = server();
    const deal = await createDeal();
    const records = Array.from({ length: MAX_BULK_ROWS + 1 }, () => ({ title: 'x' }));
    const refused = await api('POST', `/api/records/${deal}/bulk`, { operation: 'create', records }, zh);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([{ path: 'records', code: 'invalid', message: `每个请求最多 ${MAX_BULK_ROWS} 条记录` }]);
    expectChinese(refused, ['records']);
    const english = await api('POST', `/api/records/${deal}/bulk`, { operation: 'create', records });
    expect(english.body.error.fields[0].message).toBe(`at most ${MAX_BULK_ROWS} records per request`);
  });

  it('a bulk request with an unknown operation, naming the choices', async () => {
    const { api } = server();
    const deal = await createDeal();
    const refused = await api('POST', `/api/records/${deal}/bulk`, { operation: 'merge', records: [{ title: 'x' }] }, zh);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('输入无效：operation 必须是 create、update 或 upsert');
    expectChinese(refused, ['operation', 'create', 'update', 'upsert']);
  });

  it('a bad sort', async () => {
    const { api } = server();
    const deal = await createDeal();
    const unknown = await api('GET', `/api/records/${deal}?sort=nope`, undefined, zh);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'sort_invalid', message: `无法按 "nope" 排序：它不是 ${deal} 的字段` });
    expectChinese(unknown, ['nope', deal]);
    const json = await api('GET', `/api/records/${deal}?sort=notes`, undefined, zh);
    expect(json.body.error).toMatchObject({ code: 'sort_invalid', message: '无法按 "备注" 排序：json 类型的字段不能排序' });
    expectChinese(json, ['json']);
    const empty = await api('GET', `/api/records/${deal}?sort=amount,,title`, undefined, zh);
    expect(empty.status).toBe(400);
    expectChinese(empty, ['amount', 'title', 'sort']);
  });

  it('a filter that is not a valid rule, and one that cannot run in the database', async () => {
    const { api } = server();
    const deal = await createDeal();
    const unknown = await api('GET', `/api/records/${deal}?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'ghost' }, 1] }))}`, undefined, zh);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].message).toBe('未知的变量 "ghost"');
    expectChinese(unknown, ['ghost', 'filter']);
    const substr = await api('GET', `/api/records/${deal}?filter=${encodeURIComponent(JSON.stringify({ '==': [{ substr: [{ var: 'title' }, 1] }, 'x'] }))}`, undefined, zh);
    expect(substr.status).toBe(400);
    expect(substr.body.error).toMatchObject({ code: 'filter_not_translatable', message: '该筛选条件无法在数据库中执行：运算 "substr" 无法在 SQL 中执行' });
    expectChinese(substr, ['substr']);
    const notJson = await api('GET', `/api/records/${deal}?filter=%7Bnope`, undefined, zh);
    expect(notJson.status).toBe(400);
    expectChinese(notJson, ['filter']);
  });

  it('an invalid API name', async () => {
    const { api } = server();
    const reserved = await api('POST', '/api/meta/objects', { name: 'select', label: 'Select' }, zh);
    expect(reserved.status).toBe(400);
    expect(reserved.body.error).toMatchObject({ code: 'invalid_api_name', message: 'API 名称 "select" 无效：是保留字' });
    expectChinese(reserved, ['select']);
    const pattern = await api('POST', '/api/meta/objects', { name: 'Bad-Name', label: 'Bad' }, zh);
    expect(pattern.status).toBe(400);
    expectChinese(pattern, ['Bad-Name']);
  });

  it('a bad import file', async () => {
    const { api } = server();
    const deal = await createDeal();
    const csv = { ...zh, 'content-type': 'text/csv' };
    const unclosed = await api('POST', `/api/records/${deal}/import`, 'title,amount\n"open,1\n', csv);
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.fields[0].message).toBe('不是有效的 CSV：带引号的值未闭合，或结束引号后还有文字');
    expectChinese(unclosed, []);
    const ragged = await api('POST', `/api/records/${deal}/import`, 'title,amount\nA,1,extra\n', csv);
    expect(ragged.status).toBe(400);
    expectChinese(ragged, []);
    const headerOnly = await api('POST', `/api/records/${deal}/import`, 'title,amount\n', csv);
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.error.message).toBe('输入无效：data 文件中没有记录');
    expectChinese(headerOnly, ['data']);
    const twice = await api('POST', `/api/records/${deal}/import`, 'title,标题\nA,B\n', csv);
    expect(twice.status).toBe(400);
    expectChinese(twice, ['title', 'columns']);
  });

  it('a refused type change', async () => {
    const { api } = server();
    const deal = await createDeal();
    const refused = await api('PATCH', `/api/meta/objects/${deal}/fields/amount`, { type: 'date' }, zh);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'type_change_refused' });
    expectChinese(refused, ['amount', 'integer', 'bigint', 'date']);
    expect((await api('POST', `/api/records/${deal}`, { title: 'x' })).status).toBe(201);
    expect((await api('POST', `/api/records/${deal}`, { title: 'Long' })).status).toBe(201);
    const lossy = await api('PATCH', `/api/meta/objects/${deal}/fields/title`, { type: 'text', max_length: 2 }, zh);
    expect(lossy.status).toBe(409);
    expect(lossy.body.error.message).toBe('无法将字段 "title" 从 text (text) 改为 text (text)：1 条记录超过 2 个字符；如仍要转换，请指定 convert："truncate"');
    expectChinese(lossy, ['title', 'text', 'truncate', 'convert']);
    const english = await api('PATCH', `/api/meta/objects/${deal}/fields/title`, { type: 'text', max_length: 2 });
    expect(english.body.error.message).toBe('Cannot change field "title" from text (text) to text (text): 1 record(s) are longer than 2 characters; to convert anyway, say convert: "truncate"');
  });

  it('wrong-typed values: of a record, and of a metadata document (AJV)', async () => {
    const { api } = server();
    const deal = await createDeal();
    const record = await api('POST', `/api/records/${deal}`, { amount: 'lots', notes: {} }, zh);
    expect(record.status).toBe(400);
    expect(record.body.error.fields).toEqual([{ path: 'amount', code: 'type', message: '金额 必须是整数', field: 'amount', label: '金额' }]);
    expectChinese(record, []);
    const field = await api('POST', `/api/meta/objects/${deal}/fields`, { name: 'code', type: 'text', label: 'Code', max_length: 'long' }, zh);
    expect(field.status).toBe(400);
    expect(field.body.error.fields).toContainEqual({ path: 'max_length', code: 'invalid', message: '必须是整数' });
    expectChinese(field, ['max_length']);
    const unknownProperty = await api('POST', `/api/meta/objects/${deal}/fields`, { name: 'code', type: 'text', label: 'Code', colour: 'red' }, zh);
    expect(unknownProperty.status).toBe(400);
    expectChinese(unknownProperty, ['colour']);
  });

  it('query parameters the route does not read, and a body that is not JSON', async () => {
    const { api } = server();
    const deal = await createDeal();
    const unknown = await api('GET', `/api/records/${deal}?colour=red`, undefined, zh);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('输入无效：colour 不是此接口的参数');
    const body = await api('POST', `/api/records/${deal}`, '{"title":', zh);
    expect(body.status).toBe(400);
    expectChinese(body, []);
  });

  it('a view naming a field the object does not have', async () => {
    const { api } = server();
    const deal = await createDeal();
    const view = { name: 'board', type: 'kanban', group_by: 'ghost', card_fields: ['title'] };
    const refused = await api('POST', `/api/meta/objects/${deal}/views`, view, zh);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toContainEqual(expect.objectContaining({ message: `"ghost" 不是 ${deal} 的字段` }));
    expectChinese(refused, ['ghost', deal, 'board', 'group_by']);
    const notSelect = await api('POST', `/api/meta/objects/${deal}/views`, { ...view, group_by: 'title' }, zh);
    expect(notSelect.status).toBe(400);
    expect(notSelect.body.error.fields).toContainEqual(expect.objectContaining({ message: '看板必须按单选字段分组' }));
    expectChinese(notSelect, ['board', 'group_by']);
    const english = await api('POST', `/api/meta/objects/${deal}/views`, view);
    expect(english.body.error.fields).toContainEqual(expect.objectContaining({ message: `"ghost" is not a field of ${deal}` }));
  });

  it('a workflow whose trigger names a missing field or one that is not a date', async () => {
    const { api } = server();
    const deal = await createDeal();
    const workflow = { name: 'w_bad', trigger: { type: 'record', events: ['updated'], fields: ['ghost'] }, actions: [{ type: 'update_record', values: { amount: 1 } }] };
    const refused = await api('POST', `/api/meta/objects/${deal}/workflows`, workflow, zh);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toContainEqual(expect.objectContaining({ message: '"ghost" 不是此对象的字段' }));
    expectChinese(refused, ['ghost', 'w_bad']);
    const date = await api('POST', `/api/meta/objects/${deal}/workflows`, { ...workflow, trigger: { type: 'date', field: 'title' } }, zh);
    expect(date.status).toBe(400);
    expect(date.body.error.fields).toContainEqual(expect.objectContaining({ message: '"title" 是 text 类型的字段，不是日期或日期时间字段' }));
    expectChinese(date, ['title', 'text', 'w_bad']);
    const english = await api('POST', `/api/meta/objects/${deal}/workflows`, workflow);
    expect(english.body.error.fields).toContainEqual(expect.objectContaining({ message: '"ghost" is not a field of this object' }));
  });

  it('an approval process whose approver role does not exist', async () => {
    const { api } = server();
    const deal = await createDeal();
    const process = { name: 'big_deal', label: 'Big deal', active: false, entry_criteria: { '>': [{ var: 'amount' }, 100] }, steps: [{ name: 'review', approvers: [{ type: 'role', role: 'ghost_role' }], mode: 'any' }] };
    const refused = await api('POST', `/api/meta/objects/${deal}/approval-processes`, process, zh);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toContainEqual(expect.objectContaining({ message: '角色 "ghost_role" 不存在' }));
    expectChinese(refused, ['ghost_role', 'big_deal']);
    const english = await api('POST', `/api/meta/objects/${deal}/approval-processes`, process);
    expect(english.body.error.fields).toContainEqual(expect.objectContaining({ message: 'role "ghost_role" does not exist' }));
  });

  it('a field type definition check: a decimal with more digits after the point than in all', async () => {
    const { api } = server();
    const deal = await createDeal();
    const field = { name: 'price', type: 'decimal', label: 'Price', precision: 4, scale: 6 };
    const refused = await api('POST', `/api/meta/objects/${deal}/fields`, field, zh);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toContainEqual(expect.objectContaining({ message: '不能超过 precision' }));
    expectChinese(refused, ['precision', 'price', 'scale']);
    const english = await api('POST', `/api/meta/objects/${deal}/fields`, field);
    expect(english.body.error.fields).toContainEqual(expect.objectContaining({ message: 'must not exceed precision' }));
  });
});
