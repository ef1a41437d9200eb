import { systemActor, userActor } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

const LOST_NEEDS_REASON = {
  name: 'lost_needs_reason',
  label: { en: 'Lost deals say why', 'zh-CN': '输单须说明原因' },
  condition: { or: [{ '!=': [{ var: 'stage' }, 'lost'] }, { '!!': [{ var: 'loss_reason' }] }] },
  message: { en: 'A lost deal needs a loss reason', 'zh-CN': '输单需要填写原因' },
  fields: ['loss_reason'],
};
const WON_IS_FINAL = {
  name: 'won_is_final',
  condition: { or: [{ '!=': [{ var: '$old.stage' }, 'won'] }, { '==': [{ var: 'stage' }, 'won'] }] },
  message: { en: 'A won deal stays won', 'zh-CN': '赢单不可回退' },
  fields: ['stage'],
};

async function dealObject(): Promise<string> {
  const { api } = server();
  const name = uniqueName('deal');
  const created = await api('POST', '/api/meta/objects', {
    name,
    label: 'Deal',
    fields: [
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'stage', type: 'select', label: 'Stage', options: ['new', 'won', 'lost'].map((value) => ({ value, label: value })) },
      { name: 'loss_reason', type: 'text', label: 'Loss reason' },
    ],
  });
  expect(created.status).toBe(201);
  return name;
}

describe('validation rules over HTTP', () => {
  it('are metadata under /api/meta/objects/:object/validation-rules, checked when saved', async () => {
    const { api } = server();
    const name = await dealObject();
    const base = `/api/meta/objects/${name}/validation-rules`;
    const created = await api('POST', base, LOST_NEEDS_REASON);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ...LOST_NEEDS_REASON, revision: expect.any(Number) });
    expect((await api('POST', base, LOST_NEEDS_REASON)).body.error.code).toBe('name_taken');

    const list = await api('GET', base);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [LOST_NEEDS_REASON], revision: created.body.revision });
    expect((await api('GET', `${base}/lost_needs_reason`)).body).toEqual({ ...LOST_NEEDS_REASON, revision: created.body.revision });

    const patched = await api('PATCH', `${base}/lost_needs_reason`, { active: false, description: 'Off for the migration' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ active: false, description: 'Off for the migration', revision: created.body.revision + 1 });

    const unknownField = await api('POST', base, { ...WON_IS_FINAL, name: 'ghostly', fields: ['ghost'] });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error).toMatchObject({ code: 'metadata_invalid', fields: [{ path: 'fields/0', code: 'invalid' }] });
    const unknownVar = await api('POST', base, { ...WON_IS_FINAL, condition: { '==': [{ var: '$old.ghost' }, 1] } }, { 'accept-language': 'zh-CN' });
    expect(unknownVar.status).toBe(400);
    expect(unknownVar.body.error.code).toBe('metadata_invalid');
    expect(unknownVar.body.error.message).toContain('定义无效');
    const unknownOperation = await api('POST', base, { ...WON_IS_FINAL, condition: { method: [{ var: 'title' }, 'toUpperCase'] } });
    expect(unknownOperation.body.error).toMatchObject({ code: 'metadata_invalid', fields: [{ path: 'condition' }] });

    expect((await api('GET', `${base}/nothing`)).body.error.code).toBe('validation_rule_not_found');
    expect((await api('GET', `${base}?x=1`)).status).toBe(400);
    expect((await api('DELETE', `${base}/lost_needs_reason`)).body).toMatchObject({ name: 'lost_needs_reason' });
    expect((await api('GET', base)).body.data).toEqual([]);
  });

  it('refuses a breaking create, update or bulk row with 422 rule_violation, in the caller language', async () => {
    const { api } = server();
    const name = await dealObject();
    await api('POST', `/api/meta/objects/${name}/validation-rules`, LOST_NEEDS_REASON);
    await api('POST', `/api/meta/objects/${name}/validation-rules`, WON_IS_FINAL);
    const records = `/api/records/${name}`;

    const refused = await api('POST', records, { title: 'A', stage: 'lost' });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      error: {
        code: 'rule_violation',
        message: `The ${name} record breaks its validation rules: A lost deal needs a loss reason`,
        fields: [{ path: 'loss_reason', code: 'rule:lost_needs_reason', message: 'A lost deal needs a loss reason', field: 'loss_reason', label: 'Loss reason' }],
      },
    });
    const chinese = await api('POST', records, { title: 'A', stage: 'lost' }, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(chinese.status).toBe(422);
    expect(chinese.body.error.message).toBe(`该 ${name} 记录不符合校验规则：输单需要填写原因`);
    expect(chinese.body.error.fields).toEqual([{ path: 'loss_reason', code: 'rule:lost_needs_reason', message: '输单需要填写原因', field: 'loss_reason', label: 'Loss reason' }]);
    expect((await api('GET', records)).body.data).toEqual([]);

    const won = await api('POST', records, { title: 'W', stage: 'won' });
    expect(won.status).toBe(201);
    const back = await api('PATCH', `${records}/${won.body.id}`, { stage: 'lost' }, { 'if-match': '"1"', 'accept-language': 'zh-CN' });
    expect(back.status).toBe(422);
    expect(back.body.error.fields).toEqual([
      { path: 'loss_reason', code: 'rule:lost_needs_reason', message: '输单需要填写原因', field: 'loss_reason', label: 'Loss reason' },
      { path: 'stage', code: 'rule:won_is_final', message: '赢单不可回退', field: 'stage', label: 'Stage' },
    ]);
    expect((await api('GET', `${records}/${won.body.id}`)).body).toMatchObject({ stage: 'won', version: 1 });
    expect((await api('PATCH', `${records}/${won.body.id}`, { title: 'W2' }, { 'if-match': '"1"' })).status).toBe(200);

    const bulk = await api('POST', `${records}/bulk`, { operation: 'create', records: [{ title: 'B', stage: 'new' }, { title: 'C', stage: 'lost' }] }, { 'accept-language': 'zh-CN' });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'failed']);
    expect(bulk.body.results[1].error).toMatchObject({ code: 'rule_violation', fields: [{ path: 'loss_reason', code: 'rule:lost_needs_reason', message: '输单需要填写原因' }] });
    const atomic = await api('POST', `${records}/bulk`, { operation: 'create', all_or_nothing: true, records: [{ title: 'D', stage: 'new' }, { title: 'E', stage: 'lost' }] });
    expect(atomic.body).toMatchObject({ committed: false, summary: { created: 0, failed: 1 } });
    expect((await api('GET', records)).body.data.map((r: { title: string }) => r.title).sort()).toEqual(['B', 'W2']);
  });

  it('lets only administrators change rules, and describes them in the OpenAPI document', async () => {
    const { api, engine } = server();
    const name = await dealObject();
    await api('POST', `/api/meta/objects/${name}/validation-rules`, LOST_NEEDS_REASON);
    const roleName = uniqueName('rep');
    await engine.roles.create(systemActor, { name: roleName, label: 'Rep', objects: { [name]: { read: true, create: true, edit: true } } });
    const rep = await engine.users.create(systemActor, { name: 'Rep', roles: [roleName] });
    const { token } = await engine.auth.createToken(userActor(rep.id), { name: 'rep' });
    const asRep = { authorization: `Bearer ${token}` };
    const refused = await api('POST', `/api/meta/objects/${name}/validation-rules`, WON_IS_FINAL, asRep);
    expect(refused.status).toBe(403);
    expect((await api('DELETE', `/api/meta/objects/${name}/validation-rules/lost_needs_reason`, undefined, asRep)).status).toBe(403);
    expect((await api('GET', `/api/meta/objects/${name}/validation-rules`, undefined, asRep)).body.data).toEqual([LOST_NEEDS_REASON]);
    expect((await api('POST', `/api/records/${name}`, { title: 'R', stage: 'lost' }, asRep)).status).toBe(422);

    const document = (await api('GET', '/api/openapi.json')).body;
    const rules = document.paths['/api/meta/objects/{object}/validation-rules'];
    expect(Object.keys(rules)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(document.paths['/api/meta/objects/{object}/validation-rules/{validation_rule}'].patch.operationId).toBe('update_validation_rule');
    expect(document.components.schemas.ValidationRuleDefinition.required).toEqual(['name', 'condition', 'message']);
    const update = document.paths[`/api/records/${name}/{id}`].patch;
    expect(update.responses['422']).toBeDefined();
    expect(update.description).toContain('`lost_needs_reason`');
    expect(document.paths[`/api/records/${name}`].post.description).toContain('rule_violation');
    const repDocument = (await api('GET', '/api/openapi.json', undefined, asRep)).body;
    expect(repDocument.paths['/api/meta/objects/{object}/validation-rules'].post).toBeUndefined();
  });
});
