import { installTemplate, systemActor, userActor, type ClientField, type ClientMetadata, type ClientObject } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSchemaValid, schemaValidator } from '../openapi/schema-validator';
import { uniqueName, useTestServer, type ApiResponse } from '../support/test-server';

/**
 * GET /api/meta/client over real HTTP on the sales template: what an administrator and a rep
 * with a narrower role receive, that nothing hidden from the rep appears anywhere in their copy
 * (not even by name), and the ETag / 304 cycle.
 */

const server = useTestServer();

const REP_ROLE = 'projection_rep';
let repId: string;
let repToken: string;

async function asUser(token: string | null, headers: Record<string, string> = {}): Promise<ApiResponse<ClientMetadata>> {
  const response = await fetch(`${server().base}/api/meta/client`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as ClientMetadata) : (undefined as never) };
}

function objectOf(projection: ClientMetadata, name: string): ClientObject {
  const found = projection.objects.find((o) => o.name === name);
  if (!found) throw new Error(`no object ${name}`);
  return found;
}

function fieldOf(object: ClientObject, name: string): ClientField | undefined {
  return object.fields.find((f) => f.name === name);
}

beforeAll(async () => {
  const { api, engine } = server();
  await installTemplate(engine, systemActor, readTemplate('sales'));
  // Rules that READ a field the rep may not see: each must disappear from the rep's copy (or lose that part).
  const added = [
    await api('POST', '/api/meta/objects/opportunity/fields', {
      name: 'channel',
      type: 'select',
      label: { en: 'Channel', 'zh-CN': '渠道' },
      options: [
        { value: 'direct', label: { en: 'Direct', 'zh-CN': '直销' } },
        { value: 'partner', label: { en: 'Partner', 'zh-CN': '伙伴' } },
      ],
    }),
    await api('POST', '/api/meta/objects/opportunity/fields', {
      name: 'partner_tier',
      type: 'select',
      label: { en: 'Partner tier', 'zh-CN': '伙伴等级' },
      controlling_field: 'channel',
      options: [
        { value: 'gold', label: { en: 'Gold', 'zh-CN': '金牌' }, valid_for: ['partner'] },
        { value: 'none', label: { en: 'None', 'zh-CN': '无' }, valid_for: ['direct'] },
      ],
    }),
    await api('POST', '/api/meta/objects/opportunity/fields', {
      name: 'size_band',
      type: 'text',
      label: { en: 'Size band', 'zh-CN': '规模' },
      default: { if: [{ '>': [{ var: 'amount' }, 100000] }, 'large', 'small'] },
    }),
    await api('POST', '/api/meta/objects/opportunity/validation-rules', {
      name: 'amount_needs_close_date',
      condition: { or: [{ '!': [{ var: 'amount' }] }, { '!!': [{ var: 'close_date' }] }] },
      message: { en: 'Priced deals need a close date', 'zh-CN': '有金额的商机须填写成交日期' },
      fields: ['close_date'],
    }),
    await api('POST', '/api/meta/objects/opportunity/layouts', {
      name: 'rep_form',
      type: 'form',
      sections: [
        { columns: 2, fields: [{ field: 'title' }, { field: 'amount' }] },
        { columns: 1, visible_when: { '>': [{ var: 'amount' }, 10] }, fields: [{ field: 'description' }] },
        { columns: 1, fields: [{ field: 'channel' }] },
      ],
    }),
  ];
  for (const response of added) expect(response.status, JSON.stringify(response.body)).toBe(201);
  await engine.roles.create(systemActor, {
    name: REP_ROLE,
    label: { en: 'Projection rep', 'zh-CN': '投影销售' },
    objects: {
      opportunity: { read: true, create: true, edit: true, read_scope: 'own', fields: { amount: 'hidden', channel: 'hidden', probability: 'read_only' } },
      account: { read: true },
    },
  });
  const rep = await engine.users.create(systemActor, { name: 'Rita Rep', email: `${uniqueName('rep')}@example.com`, roles: [REP_ROLE] });
  repId = rep.id;
  repToken = (await engine.auth.createToken(userActor(rep.id), { name: 'ui' })).token;
});

describe('GET /api/meta/client', () => {
  it('gives an administrator every object and field, with labels in both languages and the caller identity', async () => {
    const { api, userId } = server();
    const response = await api('GET', '/api/meta/client');
    expect(response.status).toBe(200);
    const projection = response.body as ClientMetadata;
    expect(projection.user).toMatchObject({ id: userId, name: 'Test admin', admin: true, locale: 'en', department: null });
    expect(projection.user.roles.map((r) => r.name)).toEqual(['administrator']);
    expect(projection.objects.map((o) => o.name)).toEqual(expect.arrayContaining(['account', 'contact', 'opportunity']));
    const opportunity = objectOf(projection, 'opportunity');
    expect(opportunity.label).toEqual({ en: 'Opportunity', 'zh-CN': '商机' });
    expect(opportunity.permissions).toEqual({ create: true, read: true, edit: true, delete: true, export: true, transfer: true, read_scope: 'all', edit_scope: 'all' });
    expect(fieldOf(opportunity, 'amount')).toMatchObject({ type: 'currency', currency_code: 'CNY', mode: 'editable', system: false });
    expect(fieldOf(opportunity, 'id')).toMatchObject({ system: true, mode: 'read_only' });
    expect(fieldOf(opportunity, 'expected_revenue')).toMatchObject({ type: 'formula', mode: 'read_only', result_type: 'number', scale: 2, value_kind: 'number' });
    expect(fieldOf(objectOf(projection, 'account'), 'last_close')).toMatchObject({ type: 'rollup', aggregate: 'max', value_kind: 'date' });
    const stage = fieldOf(opportunity, 'stage');
    expect(stage).toMatchObject({ required: true, default: 'qualify' });
    expect((stage as unknown as { options: { value: string; label: unknown }[] }).options.find((o) => o.value === 'won')?.label).toEqual({ en: expect.any(String), 'zh-CN': expect.any(String) });
    expect(fieldOf(opportunity, 'partner_tier')).toMatchObject({ controlling_field: 'channel', options: [{ valid_for: ['partner'] }, { valid_for: ['direct'] }] });
    expect(fieldOf(opportunity, 'size_band')).toHaveProperty('default');
    expect(opportunity.views.map((v) => v.name)).toEqual(expect.arrayContaining(['open_opportunities', 'big_deals', 'funnel']));
    expect(opportunity.validation_rules.map((r) => r.name)).toEqual(['amount_needs_close_date', 'lost_needs_reason', 'won_needs_close_date']);
    expect(opportunity.server_only_rules).toBe(0);
    expect(opportunity.approval_processes).toEqual([
      expect.objectContaining({ name: 'large_deal', may_submit: true, entry_criteria: { '>': [{ var: 'amount' }, 500000] } }),
    ]);
    expect(fieldOf(objectOf(projection, 'account'), 'open_pipeline')).toMatchObject({ type: 'rollup', relationship_field: 'account', aggregate_field: 'amount' });
  });

  it('shows a rep only what their role lets them see: the hidden fields appear nowhere, not even by name', async () => {
    const response = await asUser(repToken, { 'accept-language': 'zh-CN' });
    expect(response.status).toBe(200);
    const projection = response.body;
    const text = JSON.stringify(projection);
    // Hidden directly (amount, channel), or computed from a hidden field (expected_revenue, account.open_pipeline).
    for (const name of ['amount', 'channel', 'expected_revenue', 'open_pipeline']) expect(text).not.toMatch(new RegExp(`\\b${name}\\b`));
    expect(text).not.toContain('金额');
    expect(text).not.toContain('渠道');

    expect(projection.user).toMatchObject({ id: repId, name: 'Rita Rep', admin: false, locale: 'zh-CN', roles: [{ name: REP_ROLE, label: { en: 'Projection rep', 'zh-CN': '投影销售' } }] });
    // No access to contacts: the object is absent; the lookup to it stays, read-only, without a picker.
    expect(projection.objects.map((o) => o.name).sort()).toEqual(['account', 'opportunity']);
    const opportunity = objectOf(projection, 'opportunity');
    expect(opportunity.permissions).toEqual({ create: true, read: true, edit: true, delete: false, export: false, transfer: true, read_scope: 'own', edit_scope: 'own' });
    expect(fieldOf(opportunity, 'primary_contact')).toMatchObject({ type: 'lookup', target: 'contact', target_readable: false, mode: 'read_only' });
    expect(fieldOf(opportunity, 'account')).not.toHaveProperty('target_readable');
    expect(fieldOf(opportunity, 'account')).toMatchObject({ mode: 'editable' });
    // Read-only by role; editable otherwise.
    expect(fieldOf(opportunity, 'probability')).toMatchObject({ mode: 'read_only', min: 0, max: 100 });
    expect(fieldOf(opportunity, 'title')).toMatchObject({ mode: 'editable', required: true });
    expect(fieldOf(opportunity, 'is_closed')).toMatchObject({ mode: 'read_only', expression: { in: [{ var: 'stage' }, ['won', 'lost']] } });
    // Rules that read a hidden field are withheld, and say so.
    const partnerTier = fieldOf(opportunity, 'partner_tier') as ClientField & { options: { valid_for?: unknown }[] };
    expect(partnerTier).not.toHaveProperty('controlling_field');
    expect(partnerTier.withheld).toEqual(['controlling_field']);
    expect(partnerTier.options.every((o) => o.valid_for === undefined)).toBe(true);
    expect(fieldOf(opportunity, 'size_band')).toMatchObject({ withheld: ['default'] });
    expect(fieldOf(opportunity, 'size_band')).not.toHaveProperty('default');
    expect(fieldOf(opportunity, 'stage')).toMatchObject({ default: 'qualify' });
    expect(fieldOf(opportunity, 'loss_reason')).toMatchObject({ controlling_field: 'stage' });
    expect(opportunity.validation_rules.map((r) => r.name)).toEqual(['lost_needs_reason', 'won_needs_close_date']);
    expect(opportunity.server_only_rules).toBe(1);
    expect(opportunity.approval_processes).toEqual([{ name: 'large_deal', label: expect.anything(), description: expect.any(String), may_submit: true, entry_criteria_withheld: true }]);
    // Layouts: hidden placements gone, a section left empty gone, a condition on a hidden field withheld.
    const repForm = opportunity.layouts.find((l) => l.name === 'rep_form')!;
    expect(repForm.sections).toEqual([
      { columns: 2, fields: [{ field: 'title' }] },
      { columns: 1, visible_when_withheld: true, fields: [{ field: 'description' }] },
    ]);
    const lossSection = opportunity.layouts.find((l) => l.name === 'opportunity_form')!.sections.find((s) => s.fields.some((p) => p.field === 'loss_reason'));
    expect(lossSection?.visible_when).toEqual({ '==': [{ var: 'stage' }, 'lost'] });
    // Views: a filter on a hidden field drops the view; columns, card fields and sort keys lose it.
    expect(opportunity.views.map((v) => v.name).sort()).toEqual(['funnel', 'open_opportunities']);
    const funnel = opportunity.views.find((v) => v.name === 'funnel')!;
    expect(funnel).toMatchObject({ type: 'kanban', group_by: 'stage', card_fields: ['title', 'account', 'close_date'], sort: [] });
    // The account's detail page lists opportunities without the amount, and no contacts at all.
    const account = objectOf(projection, 'account');
    const detail = account.layouts.find((l) => l.name === 'account_detail')!;
    expect(detail.type === 'detail' && detail.related_lists?.map((l) => [l.object, l.columns])).toEqual([['opportunity', ['title', 'stage', 'close_date']]]);
    expect(account.permissions).toMatchObject({ read: true, create: false, edit: false, transfer: false, edit_scope: null });
    expect(fieldOf(account, 'won_deals')).toMatchObject({ type: 'rollup', relationship_field: 'account', filter: { '==': [{ var: 'stage' }, 'won'] } });

    // The answer is what the OpenAPI document says it is.
    const document = await (await fetch(`${server().base}/api/openapi.json`, { headers: { authorization: `Bearer ${repToken}` } })).text();
    expectSchemaValid(schemaValidator(document), 'ClientMetadata', projection);
  });

  it('answers 304 without a body while nothing changed, and a new ETag after a metadata change or a role change', async () => {
    const { api, engine } = server();
    const first = await asUser(repToken);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"r\d+-[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('vary')).toContain('Accept-Language');
    expect(Number(first.headers.get('x-crm-revision'))).toBe(first.body.revision);

    const unchanged = await fetch(`${server().base}/api/meta/client`, { headers: { authorization: `Bearer ${repToken}`, 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect((await asUser(repToken, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    // Another language is another answer (user.locale).
    expect((await asUser(repToken, { 'if-none-match': etag, 'accept-language': 'zh-CN' })).status).toBe(200);
    // Another user with the same role shares the cached objects part, but not the identity or the ETag.
    const twin = await engine.users.create(systemActor, { name: 'Tom Twin', email: `${uniqueName('twin')}@example.com`, roles: [REP_ROLE] });
    const [mine, theirs] = await Promise.all([engine.clientMetadata(userActor(repId)), engine.clientMetadata(userActor(twin.id))]);
    expect(theirs.body().objects).toBe(mine.body().objects);
    expect(theirs.etag).not.toBe(mine.etag);

    // A field added: new revision, new ETag, the field is there.
    const created = await api('POST', '/api/meta/objects/opportunity/fields', { name: 'next_step', type: 'text', label: { en: 'Next step', 'zh-CN': '下一步' } });
    expect(created.status).toBe(201);
    const afterField = await asUser(repToken, { 'if-none-match': etag });
    expect(afterField.status).toBe(200);
    expect(afterField.headers.get('etag')).not.toBe(etag);
    expect(afterField.body.revision).toBeGreaterThan(first.body.revision);
    expect(fieldOf(objectOf(afterField.body, 'opportunity'), 'next_step')).toMatchObject({ label: { en: 'Next step', 'zh-CN': '下一步' }, mode: 'editable' });

    // The rep's roles change: the hidden field appears, and contacts.
    const etagBefore = afterField.headers.get('etag')!;
    await engine.users.update(systemActor, repId, { roles: [REP_ROLE, 'sales_manager'] });
    const afterRole = await asUser(repToken, { 'if-none-match': etagBefore });
    expect(afterRole.status).toBe(200);
    expect(afterRole.headers.get('etag')).not.toBe(etagBefore);
    expect(fieldOf(objectOf(afterRole.body, 'opportunity'), 'amount')).toMatchObject({ mode: 'editable' });
    expect(afterRole.body.objects.map((o) => o.name)).toContain('contact');
    await engine.users.update(systemActor, repId, { roles: [REP_ROLE] });
  });

  it('changes the ETag when the role itself changes, and refuses unknown query parameters and anonymous callers', async () => {
    const { engine } = server();
    const before = await asUser(repToken);
    await engine.roles.update(systemActor, REP_ROLE, { objects: { opportunity: { read: true, fields: { amount: 'hidden', channel: 'hidden' } }, account: { read: true } } });
    const after = await asUser(repToken, { 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(objectOf(after.body, 'opportunity').permissions).toMatchObject({ create: false, edit: false });
    expect(fieldOf(objectOf(after.body, 'opportunity'), 'probability')).toMatchObject({ mode: 'editable' });
    expect(objectOf(after.body, 'opportunity').approval_processes[0]).toMatchObject({ may_submit: false });

    const anonymous = await asUser(null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'unauthenticated' } });
    const unknownParameter = await server().api('GET', '/api/meta/client?x=1');
    expect(unknownParameter.status).toBe(400);
  });

  it('is described in the OpenAPI document, with its 304', async () => {
    const { api } = server();
    const document = (await api('GET', '/api/openapi.json')).body;
    const get = document.paths['/api/meta/client'].get;
    expect(get.operationId).toBe('get_client_metadata');
    expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ClientMetadata' });
    expect(get.responses['200'].headers.ETag).toBeDefined();
    expect(get.responses['304']).toBeDefined();
    expect(get.responses['401']).toBeDefined();
    expect(document.components.schemas.ClientField.properties.mode.enum).toEqual(['editable', 'read_only']);
  });
});
