import { systemActor, userActor } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSchemaValid, schemaValidator } from '../openapi/schema-validator';
import { uniqueName, useTestServer, type ApiResponse } from '../support/test-server';

/**
 * The metadata reads over HTTP as a user whose role hides fields: no document names a hidden
 * field or shows the logic that reads one (the same policy as GET /api/meta/client), while an
 * administrator reads every document as stored. Record writes that fail by such logic do not
 * name the hidden field either.
 */

const server = useTestServer();

const HIDDEN = ['secret_margin', 'secret_channel', 'secret_code', 'margin_ratio'];
let deal: string;
let account: string;
let repToken: string;

async function asRep<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return server().api<T>(method, path, body, { authorization: `Bearer ${repToken}` });
}

function expectNoHiddenName(response: ApiResponse, what: string): void {
  const text = JSON.stringify(response.body);
  for (const name of HIDDEN) expect(text, `${what} names ${name}`).not.toMatch(new RegExp(`\\b${name}\\b`));
}

const created = (response: ApiResponse) => expect(response.status, JSON.stringify(response.body)).toBe(201);

beforeAll(async () => {
  const { api, engine } = server();
  account = uniqueName('acct');
  deal = uniqueName('deal');
  created(await api('POST', '/api/meta/objects', { name: account, label: 'Account', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] }));
  created(
    await api('POST', '/api/meta/objects', {
      name: deal,
      label: 'Deal',
      title_field: 'secret_code',
      fields: [
        { name: 'title', type: 'text', label: 'Title' },
        { name: 'secret_code', type: 'text', label: 'Code name' },
        { name: 'secret_margin', type: 'integer', label: 'Margin' },
        { name: 'account', type: 'lookup', label: 'Account', target: account },
        { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }] },
        { name: 'secret_channel', type: 'select', label: 'Channel', options: [{ value: 'direct', label: 'Direct' }, { value: 'partner', label: 'Partner' }] },
        {
          name: 'tier',
          type: 'select',
          label: 'Tier',
          controlling_field: 'secret_channel',
          options: [
            { value: 'gold', label: 'Gold', valid_for: ['partner'] },
            { value: 'none', label: 'None', valid_for: ['direct'] },
          ],
        },
        { name: 'band', type: 'text', label: 'Band', default: { if: [{ '>': [{ var: 'secret_margin' }, 30] }, 'high', 'low'] } },
        { name: 'margin_ratio', type: 'formula', label: 'Ratio', result_type: 'number', expression: { '/': [{ var: 'secret_margin' }, 100] } },
        { name: 'title_length', type: 'formula', label: 'Title length', result_type: 'text', expression: { cat: [{ var: 'title' }, '!'] } },
      ],
    }),
  );
  for (const rollup of [
    { name: 'partner_deals', type: 'rollup', label: 'Partner deals', child_object: deal, relationship_field: 'account', aggregate: 'count', filter: { '==': [{ var: 'secret_channel' }, 'partner'] } },
    { name: 'open_deals', type: 'rollup', label: 'Open deals', child_object: deal, relationship_field: 'account', aggregate: 'count', filter: { '==': [{ var: 'stage' }, 'open'] } },
  ]) {
    created(await api('POST', `/api/meta/objects/${account}/fields`, rollup));
  }
  for (const view of [
    { name: 'big', type: 'list', columns: ['title', 'secret_margin'], filter: { '>': [{ var: 'secret_margin' }, 30] } },
    { name: 'sorted', type: 'list', columns: ['title', 'secret_margin'], sort: [{ field: 'secret_margin', direction: 'desc' }, { field: 'title' }] },
    { name: 'only_hidden', type: 'list', columns: ['secret_margin'] },
    { name: 'by_channel', type: 'kanban', group_by: 'secret_channel', card_fields: ['title'] },
    { name: 'by_stage', type: 'kanban', group_by: 'stage', card_fields: ['title', 'secret_code'], sort: [{ field: 'secret_margin' }] },
  ]) {
    created(await api('POST', `/api/meta/objects/${deal}/views`, view));
  }
  created(
    await api('POST', `/api/meta/objects/${deal}/layouts`, {
      name: 'deal_form',
      type: 'form',
      sections: [
        { columns: 2, fields: [{ field: 'title' }, { field: 'secret_margin' }] },
        { columns: 1, visible_when: { '>': [{ var: 'secret_margin' }, 10] }, fields: [{ field: 'stage' }] },
        { columns: 1, visible_when: { '==': [{ var: 'stage' }, 'won'] }, fields: [{ field: 'band' }] },
        { columns: 1, label: 'Secrets', fields: [{ field: 'secret_channel' }, { field: 'secret_code' }] },
      ],
    }),
  );
  created(
    await api('POST', `/api/meta/objects/${account}/layouts`, {
      name: 'account_detail',
      type: 'detail',
      sections: [{ columns: 1, fields: [{ field: 'name' }, { field: 'partner_deals' }, { field: 'open_deals' }] }],
      related_lists: [{ object: deal, field: 'account', columns: ['title', 'secret_margin'], sort: [{ field: 'secret_margin' }, { field: 'title' }] }],
    }),
  );
  for (const rule of [
    { name: 'margin_cap', condition: { '<': [{ var: 'secret_margin' }, 90] }, message: 'Margin too high', fields: ['title'] },
    { name: 'title_needed', condition: { '!!': [{ var: 'title' }] }, message: 'A title is needed', fields: ['title', 'secret_margin'] },
    { name: 'not_forbidden', condition: { '!=': [{ var: 'title' }, 'forbidden'] }, message: 'Not that title', fields: ['secret_code'] },
    { name: 'inactive_reads_hidden', active: false, condition: { '!!': [{ var: 'secret_code' }] }, message: 'Code name needed', fields: [] },
  ]) {
    created(await api('POST', `/api/meta/objects/${deal}/validation-rules`, rule));
  }
  const role = uniqueName('hider');
  await engine.roles.create(systemActor, {
    name: role,
    label: 'Hider',
    objects: {
      [deal]: { read: true, create: true, edit: true, fields: { secret_margin: 'hidden', secret_channel: 'hidden', secret_code: 'hidden' } },
      [account]: { read: true },
    },
  });
  const rep = await engine.users.create(systemActor, { name: 'Rep', email: `${uniqueName('rep')}@example.com`, roles: [role] });
  repToken = (await engine.auth.createToken(userActor(rep.id), { name: 'ui' })).token;
});

describe('metadata reads by a user with hidden fields', () => {
  it('name no hidden field in any document, list or single', async () => {
    const paths = [
      '/api/meta/objects',
      `/api/meta/objects/${deal}`,
      `/api/meta/objects/${deal}/fields?include_system=true`,
      `/api/meta/objects/${deal}/fields/tier`,
      `/api/meta/objects/${deal}/fields/band`,
      `/api/meta/objects/${account}/fields`,
      `/api/meta/objects/${account}/fields/partner_deals`,
      `/api/meta/objects/${deal}/views`,
      `/api/meta/objects/${deal}/views/sorted`,
      `/api/meta/objects/${deal}/views/by_stage`,
      `/api/meta/objects/${deal}/layouts`,
      `/api/meta/objects/${deal}/layouts/deal_form`,
      `/api/meta/objects/${account}/layouts/account_detail`,
      `/api/meta/objects/${deal}/validation-rules`,
      `/api/meta/objects/${deal}/validation-rules/title_needed`,
    ];
    for (const path of paths) {
      const response = await asRep('GET', path);
      expect(response.status, path).toBe(200);
      expectNoHiddenName(response, path);
    }
  });

  it('drops what reads a hidden field, withholds what merely points at one, and keeps the rest as stored', async () => {
    const fields = (await asRep('GET', `/api/meta/objects/${deal}/fields`)).body.data as Record<string, unknown>[];
    expect(fields.map((f) => f.name)).toEqual(['title', 'account', 'stage', 'tier', 'band', 'title_length']);
    const byName = (name: string) => fields.find((f) => f.name === name);
    expect(byName('tier')).toEqual({ name: 'tier', type: 'select', label: 'Tier', options: [{ value: 'gold', label: 'Gold' }, { value: 'none', label: 'None' }], withheld: ['controlling_field'] });
    expect(byName('band')).toEqual({ name: 'band', type: 'text', label: 'Band', withheld: ['default'] });
    expect(byName('title_length')).toMatchObject({ expression: { cat: [{ var: 'title' }, '!'] } });
    expect((await asRep('GET', `/api/meta/objects/${deal}/fields/tier`)).body).toMatchObject({ withheld: ['controlling_field'] });
    expect((await asRep('GET', `/api/meta/objects/${deal}/fields/margin_ratio`)).status).toBe(404);
    const rollups = (await asRep('GET', `/api/meta/objects/${account}/fields`)).body.data as Record<string, unknown>[];
    expect(rollups.find((f) => f.name === 'partner_deals')).toEqual(expect.objectContaining({ relationship_field: 'account', withheld: ['filter'] }));
    expect(rollups.find((f) => f.name === 'partner_deals')).not.toHaveProperty('filter');
    expect(rollups.find((f) => f.name === 'open_deals')).toMatchObject({ filter: { '==': [{ var: 'stage' }, 'open'] } });
    // What the rep gets is what the OpenAPI document (theirs) says a field read answers.
    const document = schemaValidator(await (await fetch(`${server().base}/api/openapi.json`, { headers: { authorization: `Bearer ${repToken}` } })).text());
    expectSchemaValid(document, 'FieldList', (await asRep('GET', `/api/meta/objects/${deal}/fields`)).body);
    expectSchemaValid(document, 'FieldResponse', (await asRep('GET', `/api/meta/objects/${deal}/fields/tier`)).body);
    expectSchemaValid(document, 'LayoutResponse', (await asRep('GET', `/api/meta/objects/${deal}/layouts/deal_form`)).body);

    expect((await asRep('GET', `/api/meta/objects/${deal}`)).body).not.toHaveProperty('title_field');
    expect((await asRep('GET', `/api/meta/objects/${account}`)).body).toMatchObject({ title_field: 'name' });

    const views = (await asRep('GET', `/api/meta/objects/${deal}/views`)).body.data as { name: string }[];
    expect(views.map((v) => v.name).sort()).toEqual(['by_stage', 'sorted']);
    expect((await asRep('GET', `/api/meta/objects/${deal}/views/sorted`)).body).toMatchObject({ columns: ['title'], sort: [{ field: 'title' }] });
    expect((await asRep('GET', `/api/meta/objects/${deal}/views/by_stage`)).body).toMatchObject({ group_by: 'stage', card_fields: ['title'], sort: [] });
    for (const view of ['big', 'only_hidden', 'by_channel']) expect((await asRep('GET', `/api/meta/objects/${deal}/views/${view}`)).status, view).toBe(404);

    const form = (await asRep('GET', `/api/meta/objects/${deal}/layouts/deal_form`)).body;
    expect(form.sections).toEqual([
      { columns: 2, fields: [{ field: 'title' }] },
      { columns: 1, visible_when_withheld: true, fields: [{ field: 'stage' }] },
      { columns: 1, visible_when: { '==': [{ var: 'stage' }, 'won'] }, fields: [{ field: 'band' }] },
    ]);
    const detail = (await asRep('GET', `/api/meta/objects/${account}/layouts/account_detail`)).body;
    expect(detail.related_lists).toEqual([{ object: deal, field: 'account', columns: ['title'], sort: [{ field: 'title' }] }]);

    const rules = (await asRep('GET', `/api/meta/objects/${deal}/validation-rules`)).body.data as { name: string }[];
    expect(rules).toEqual([
      { name: 'not_forbidden', condition: { '!=': [{ var: 'title' }, 'forbidden'] }, message: 'Not that title', fields: [] },
      { name: 'title_needed', condition: { '!!': [{ var: 'title' }] }, message: 'A title is needed', fields: ['title'] },
    ]);
    for (const rule of ['margin_cap', 'inactive_reads_hidden']) expect((await asRep('GET', `/api/meta/objects/${deal}/validation-rules/${rule}`)).status, rule).toBe(404);
  });

  it('answers an administrator with every document as stored', async () => {
    const { api } = server();
    expect((await api('GET', `/api/meta/objects/${deal}`)).body).toMatchObject({ title_field: 'secret_code' });
    const fields = (await api('GET', `/api/meta/objects/${deal}/fields`)).body.data as Record<string, unknown>[];
    expect(fields.map((f) => f.name)).toContain('secret_margin');
    expect(fields.find((f) => f.name === 'tier')).toMatchObject({ controlling_field: 'secret_channel', options: [{ valid_for: ['partner'] }, { valid_for: ['direct'] }] });
    expect(fields.find((f) => f.name === 'tier')).not.toHaveProperty('withheld');
    expect(fields.find((f) => f.name === 'band')).toHaveProperty('default');
    expect(((await api('GET', `/api/meta/objects/${deal}/views`)).body.data as unknown[]).length).toBe(5);
    expect((await api('GET', `/api/meta/objects/${deal}/layouts/deal_form`)).body.sections).toHaveLength(4);
    expect(((await api('GET', `/api/meta/objects/${deal}/validation-rules`)).body.data as unknown[]).length).toBe(4);
    expect((await api('GET', `/api/meta/objects/${account}/layouts/account_detail`)).body.related_lists[0].columns).toEqual(['title', 'secret_margin']);
  });

  it('keeps one revision for everyone: the reads answer the same revision to the rep and the administrator', async () => {
    const admin = await server().api('GET', `/api/meta/objects/${deal}/views`);
    const rep = await asRep('GET', `/api/meta/objects/${deal}/views`);
    expect(rep.body.revision).toBe(admin.body.revision);
  });
});

describe('record writes refused by logic on a hidden field', () => {
  it('do not name the hidden field to the rep', async () => {
    const accountRecord = await server().engine.records.create(systemActor, account, { name: 'Acme' });
    // The tier depends on a hidden channel (empty here): the error must not say which field or value.
    const dependent = await asRep('POST', `/api/records/${deal}`, { title: 'x', tier: 'gold', account: accountRecord.id });
    expect(dependent.status, JSON.stringify(dependent.body)).toBe(400);
    expectNoHiddenName(dependent, 'the dependent option error');
    // To the rep the option is simply not allowed here (their copy of the field has no controlling field either).
    expect(dependent.body.error.fields).toEqual([expect.objectContaining({ path: 'tier', code: 'option', message: 'Tier "gold" is not an allowed option' })]);
    const adminDependent = await server().api('POST', `/api/records/${deal}`, { title: 'x', tier: 'gold', account: accountRecord.id });
    expect(adminDependent.body.error.fields).toEqual([expect.objectContaining({ path: 'tier', code: 'dependent_option', message: 'Tier "gold" is not allowed when Channel is ""' })]);
    // title_needed points at the title and the hidden margin: only the title is named.
    const rule = await asRep('POST', `/api/records/${deal}`, { title: '' });
    expect(rule.status, JSON.stringify(rule.body)).toBe(422);
    expectNoHiddenName(rule, 'the rule violation');
    expect(rule.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['title']);
    // A rule pointing at nothing but a hidden field is about the record as a whole, to the rep.
    const whole = await asRep('POST', `/api/records/${deal}`, { title: 'forbidden' });
    expect(whole.status, JSON.stringify(whole.body)).toBe(422);
    expectNoHiddenName(whole, 'the rule violation');
    expect(whole.body.error.fields).toEqual([{ path: '', code: 'rule:not_forbidden', message: 'Not that title' }]);
    // The administrator still gets both.
    const admin = await server().api('POST', `/api/records/${deal}`, { title: '' });
    expect(admin.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['title', 'secret_margin']);
  });
});
