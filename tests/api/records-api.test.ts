import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

async function setup(): Promise<{ account: string; deal: string }> {
  const { api } = server();
  const account = uniqueName('account');
  const deal = uniqueName('deal');
  expect((await api('POST', '/api/meta/objects', { name: account, label: 'Account', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name', searchable: true }] })).status).toBe(201);
  const created = await api('POST', '/api/meta/objects', {
    name: deal,
    label: 'Deal',
    title_field: 'title',
    fields: [
      { name: 'title', type: 'text', label: 'Title', required: true, searchable: true },
      { name: 'amount', type: 'currency', label: 'Amount', indexed: true },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New' }, { value: 'won', label: 'Won' }] },
      { name: 'code', type: 'text', label: 'Code', unique: true },
      { name: 'account', type: 'lookup', label: 'Account', target: account },
    ],
  });
  expect(created.status).toBe(201);
  return { account, deal };
}

describe('record API over HTTP', () => {
  it('creates, reads, lists, updates, deletes and restores records', async () => {
    const { api } = server();
    const { account, deal } = await setup();
    const acme = (await api('POST', `/api/records/${account}`, { name: 'Acme' })).body;
    const created = await api('POST', `/api/records/${deal}`, { title: 'First', amount: '1200.50', stage: 'new', account: acme.id });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/records/${deal}/${created.body.id}`);
    expect(created.body).toMatchObject({ title: 'First', amount: '1200.50', version: 1, owner_id: server().userId, created_by: server().userId });

    const read = await api('GET', `/api/records/${deal}/${created.body.id}?expand=account,owner_id&fields=title,account,owner_id`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toEqual({ id: created.body.id, title: 'First', account: expect.objectContaining({ id: acme.id, name: 'Acme' }), owner_id: expect.objectContaining({ id: server().userId, name: 'Test admin' }) });

    for (let i = 0; i < 5; i++) await api('POST', `/api/records/${deal}`, { title: `Deal ${i}`, amount: String(100 * i), stage: i % 2 ? 'won' : 'new' });
    const filter = encodeURIComponent(JSON.stringify({ and: [{ '>=': [{ var: 'amount' }, 100] }, { '==': [{ var: 'stage' }, 'new'] }] }));
    const page1 = await api('GET', `/api/records/${deal}?filter=${filter}&sort=-amount,title&limit=2&fields=title,amount&count=true`);
    expect(page1.status).toBe(200);
    expect(page1.body.total).toBe(3);
    expect(page1.body.data).toEqual([
      { id: expect.any(String), title: 'First', amount: '1200.50' },
      { id: expect.any(String), title: 'Deal 4', amount: '400.00' },
    ]);
    const page2 = await api('GET', `/api/records/${deal}?filter=${filter}&sort=-amount,title&limit=2&fields=title,amount&cursor=${encodeURIComponent(page1.body.next_cursor)}`);
    expect(page2.body.data.map((r: { title: string }) => r.title)).toEqual(['Deal 2']);
    expect(page2.body.next_cursor).toBeNull();
    expect((await api('GET', `/api/records/${deal}?q=deal%203`)).body.data.map((r: { title: string }) => r.title)).toEqual(['Deal 3']);

    const updated = await api('PATCH', `/api/records/${deal}/${created.body.id}`, { stage: 'won' }, { 'if-match': '"1"' });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    const stale = await api('PATCH', `/api/records/${deal}/${created.body.id}`, { stage: 'new' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('stale_version');
    expect((await api('GET', `/api/records/${deal}/${created.body.id}`)).body).toMatchObject({ stage: 'won', version: 2 });
    expect((await api('DELETE', `/api/records/${deal}/${created.body.id}`, undefined, { 'if-match': '"1"' })).status).toBe(412);

    const deleted = await api('DELETE', `/api/records/${deal}/${created.body.id}`, undefined, { 'if-match': '"2"' });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted_at).not.toBeNull();
    expect((await api('GET', `/api/records/${deal}/${created.body.id}`)).status).toBe(404);
    expect((await api('GET', `/api/records/${deal}?deleted=true`)).body.data).toHaveLength(1);
    expect((await api('POST', `/api/records/${deal}/${created.body.id}/restore`)).body).toMatchObject({ deleted_at: null, version: 4 });
  });

  it('answers every kind of bad request with the right status and names what is wrong', async () => {
    const { api } = server();
    const { deal } = await setup();
    await api('POST', `/api/records/${deal}`, { title: 'x', code: 'C1' });

    const unknownField = await api('POST', `/api/records/${deal}`, { title: 'x', colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.fields).toEqual([{ path: 'colour', code: 'unknown_field', message: 'is not a field of this object' }]);
    const missing = await api('POST', `/api/records/${deal}`, { amount: 'lots' });
    expect(missing.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['amount', 'title']);
    expect((await api('POST', `/api/records/${deal}`, { title: 'y', code: 'C1' })).status).toBe(409);
    expect((await api('POST', `/api/records/${deal}`, { title: 'y', account: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
    expect((await api('GET', `/api/records/no_such_object`)).body.error).toMatchObject({ code: 'object_not_found', message: 'Object "no_such_object" does not exist' });
    expect((await api('GET', `/api/records/${deal}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await api('GET', `/api/records/${deal}/not-an-id`)).status).toBe(404);

    const unsupported = await api('GET', `/api/records/${deal}?filter=${encodeURIComponent(JSON.stringify({ '>': [{ reduce: [[1, 2], { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }, { var: 'amount' }] }))}`);
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.code).toBe('filter_not_translatable');
    expect(unsupported.body.error.message).toContain('reduce');
    expect((await api('GET', `/api/records/${deal}?filter=%7Bnot-json`)).body.error.fields[0].path).toBe('filter');
    expect((await api('GET', `/api/records/${deal}?filter=${encodeURIComponent('{"==":[{"var":"ghost"},1]}')}`)).body.error.code).toBe('rule_invalid');
    expect((await api('GET', `/api/records/${deal}?limit=9999`)).status).toBe(400);
    expect((await api('GET', `/api/records/${deal}?sort=ghost`)).body.error.code).toBe('sort_invalid');
    expect((await api('GET', `/api/records/${deal}?expand=title`)).status).toBe(400);
    expect((await api('GET', `/api/records/${deal}?bogus=1`)).body.error.fields[0]).toMatchObject({ path: 'bogus' });
    expect((await api('PATCH', `/api/records/${deal}/00000000-0000-4000-8000-000000000000`, { title: 'z' }, { 'if-match': 'garbage' })).status).toBe(400);
  });

  it('makes a field added through the metadata API usable on the very next request', async () => {
    const { api } = server();
    const { deal } = await setup();
    expect((await api('POST', `/api/records/${deal}`, { title: 'early', priority: 3 })).status).toBe(400);
    expect((await api('POST', `/api/meta/objects/${deal}/fields`, { name: 'priority', type: 'integer', label: 'Priority' })).status).toBe(201);
    const created = await api('POST', `/api/records/${deal}`, { title: 'late', priority: 3 });
    expect(created.status).toBe(201);
    expect(created.body.priority).toBe(3);
    expect((await api('GET', `/api/records/${deal}?filter=${encodeURIComponent('{"==":[{"var":"priority"},3]}')}`)).body.data).toHaveLength(1);
  });

  it('returns the first result for a retried POST with the same Idempotency-Key', async () => {
    const { api } = server();
    const { deal } = await setup();
    const headers = { 'idempotency-key': 'order-42' };
    const first = await api('POST', `/api/records/${deal}`, { title: 'Once' }, headers);
    const retries = await Promise.all(Array.from({ length: 5 }, () => api('POST', `/api/records/${deal}`, { title: 'Once' }, headers)));
    expect(first.status).toBe(201);
    for (const retry of retries) expect(retry.body.id).toBe(first.body.id);
    expect((await api('GET', `/api/records/${deal}?count=true`)).body.total).toBe(1);
    const reused = await api('POST', `/api/records/${deal}`, { title: 'Different' }, headers);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
  });

  it('runs bulk requests with per-row results, all-or-nothing, and upserts', async () => {
    const { api } = server();
    const { deal } = await setup();
    const mixed = await api('POST', `/api/records/${deal}/bulk`, { operation: 'create', records: [{ title: 'ok 1', code: 'B1' }, { amount: 5 }, { title: 'ok 2', stage: 'lost' }, { title: 'ok 3' }] });
    expect(mixed.status).toBe(200);
    expect(mixed.body.committed).toBe(true);
    expect(mixed.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'failed', 'failed', 'created']);
    expect(mixed.body.results[1].error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'title', code: 'required', message: 'Title is required', field: 'title', label: 'Title' }] });
    expect(mixed.body.summary).toEqual({ created: 2, updated: 0, failed: 2 });

    const atomic = await api('POST', `/api/records/${deal}/bulk`, { operation: 'create', all_or_nothing: true, records: [{ title: 'a' }, { title: 'b', code: 'B1' }] });
    expect(atomic.body.committed).toBe(false);
    expect(atomic.body.results.map((r: { status: string }) => r.status)).toEqual(['rolled_back', 'failed']);
    expect(atomic.body.results[1].error.code).toBe('unique_violation');

    const upsert = await api('POST', `/api/records/${deal}/bulk`, { operation: 'upsert', upsert_field: 'code', records: [{ code: 'B1', title: 'renamed' }, { code: 'B9', title: 'new' }] });
    expect(upsert.body.results.map((r: { status: string }) => r.status)).toEqual(['updated', 'created']);
    expect((await api('GET', `/api/records/${deal}?count=true&limit=1`)).body.total).toBe(3);
    expect((await api('POST', `/api/records/${deal}/bulk`, { operation: 'create', records: Array.from({ length: 1001 }, (_, i) => ({ title: `r${i}` })) })).status).toBe(400);
  });

  it('lands 50 concurrent writes exactly once each', async () => {
    const { api } = server();
    const { deal } = await setup();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => api('POST', `/api/records/${deal}`, { title: `concurrent ${i}`, code: `K${i}` })));
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(50);
    const all = await api('GET', `/api/records/${deal}?limit=500&fields=code`);
    expect(all.body.data.map((r: { code: string }) => r.code).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `K${i}`).sort());
  });
});
