import { systemActor, userActor, type Engine } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer, type TestServer } from '../support/test-server';

/**
 * The access-control attack suite: a sales rep tries every path to another rep's record and to
 * fields hidden from them, over real HTTP. Each attempt must be refused, change nothing and leak
 * nothing - not in bodies, counts or error messages.
 */

// A small export limit, so refusing an oversized export is testable.
const server = useTestServer({ engine: { records: { exportMaxRows: 3 } } });

interface Person {
  id: string;
  token: string;
}

interface World {
  engine: Engine;
  admin: string;
  east: string;
  rep: Person;
  peer: Person;
  westRep: Person;
  manager: Person;
  finance: Person;
  noExport: Person;
  account: string;
  secret: { id: string; title: string };
}

let world: World;

async function person(engine: Engine, name: string, roles: string[], department: string | null): Promise<Person> {
  const user = await engine.users.create(systemActor, { name, email: `${name.toLowerCase().replace(/ /g, '.')}@example.com`, roles, department_id: department });
  const { token } = await engine.auth.createToken(userActor(user.id), { name: 'tests' });
  return { id: user.id, token };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read loosely typed answers.
async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }> {
  const response = await fetch(`${server().base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

const q = (rule: unknown) => encodeURIComponent(JSON.stringify(rule));

beforeAll(async () => {
  const { engine } = server() as TestServer;
  const root = await engine.departments.create(systemActor, { name: 'Sales' });
  const east = await engine.departments.create(systemActor, { name: 'East', parent_id: root.id });
  const west = await engine.departments.create(systemActor, { name: 'West', parent_id: root.id });
  await engine.objects.create(systemActor, { name: 'account', label: 'Account', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name', searchable: true }] });
  await engine.objects.create(systemActor, {
    name: 'opportunity',
    label: 'Opportunity',
    title_field: 'title',
    track_history: true,
    fields: [
      { name: 'title', type: 'text', label: 'Title', searchable: true },
      { name: 'account', type: 'lookup', label: 'Account', target: 'account' },
      { name: 'amount', type: 'currency', label: 'Amount' },
      { name: 'margin', type: 'percent', label: 'Margin' },
      { name: 'discount', type: 'percent', label: 'Discount' },
      { name: 'internal_note', type: 'text', label: 'Internal note', searchable: true },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }] },
      { name: 'margin_band', type: 'formula', label: 'Margin band', result_type: 'text', expression: { if: [{ '>': [{ var: 'margin' }, 30] }, 'high', 'normal'] } },
    ],
  });
  await engine.objects.create(systemActor, { name: 'task', label: 'Task', fields: [{ name: 'subject', type: 'text', label: 'Subject' }, { name: 'opportunity', type: 'lookup', label: 'Opportunity', target: 'opportunity' }] });
  await engine.fields.create(systemActor, 'account', { name: 'deal_count', type: 'rollup', label: 'Deals', child_object: 'opportunity', relationship_field: 'account', aggregate: 'count' });
  await engine.fields.create(systemActor, 'account', { name: 'pipeline', type: 'rollup', label: 'Pipeline', child_object: 'opportunity', relationship_field: 'account', aggregate: 'sum', aggregate_field: 'amount' });

  const repObjects = {
    opportunity: { create: true, read: true, edit: true, delete: true, export: true, read_scope: 'own', edit_scope: 'own', fields: { margin: 'hidden', discount: 'read_only', internal_note: 'hidden' } },
    account: { read: true, read_scope: 'all' },
    task: { read: true, create: true, read_scope: 'all' },
  } as const;
  await engine.roles.create(systemActor, { name: 'sales_rep', label: { en: 'Sales rep', 'zh-CN': '销售代表' }, objects: repObjects });
  await engine.roles.create(systemActor, { name: 'rep_no_export', label: 'Rep without export', objects: { ...repObjects, opportunity: { ...repObjects.opportunity, export: false } } });
  await engine.roles.create(systemActor, {
    name: 'sales_manager',
    label: 'Sales manager',
    objects: { opportunity: { read: true, edit: true, delete: true, export: true, read_scope: 'department_and_below', edit_scope: 'department_and_below', fields: { margin: 'read_only' } }, account: { read: true } },
  });
  await engine.roles.create(systemActor, { name: 'finance', label: 'Finance', objects: { opportunity: { read: true, export: true, read_scope: 'all' }, account: { read: true } } });

  const rep = await person(engine, 'Rep East', ['sales_rep'], east.id);
  const peer = await person(engine, 'Peer East', ['sales_rep'], east.id);
  const westRep = await person(engine, 'Rep West', ['sales_rep'], west.id);
  const manager = await person(engine, 'Manager Sales', ['sales_manager'], root.id);
  const finance = await person(engine, 'Finance', ['finance'], null);
  const noExport = await person(engine, 'No Export', ['rep_no_export'], east.id);

  const account = await engine.records.create(systemActor, 'account', { name: 'Acme' });
  const secretTitle = 'Project Nightingale';
  const secret = await engine.records.create(systemActor, 'opportunity', { title: secretTitle, account: account.id, amount: '900000', margin: 42, stage: 'open', owner_id: peer.id });
  await engine.records.create(systemActor, 'opportunity', { title: 'My own deal', account: account.id, amount: '100', stage: 'open', internal_note: 'churn risk', owner_id: rep.id });
  await engine.records.create(userActor(westRep.id), 'opportunity', { title: 'West deal', amount: '5' });
  await engine.records.create(systemActor, 'task', { subject: 'Follow up', opportunity: secret.id });
  world = { engine, admin: server().token, east: east.id, rep, peer, westRep, manager, finance, noExport, account: account.id as string, secret: { id: secret.id as string, title: secretTitle } };
});

describe("a sales rep cannot reach another rep's record", () => {
  it('by id: read, update, delete and restore all answer 404 and change nothing', async () => {
    const { rep, secret, engine } = world;
    const before = await engine.records.get(systemActor, 'opportunity', secret.id);
    for (const [method, path, body] of [
      ['GET', `/api/records/opportunity/${secret.id}`],
      ['PATCH', `/api/records/opportunity/${secret.id}`, { title: 'pwned' }],
      ['DELETE', `/api/records/opportunity/${secret.id}`],
      ['POST', `/api/records/opportunity/${secret.id}/restore`],
      ['GET', `/api/records/opportunity/${secret.id}/history`],
      ['GET', `/api/records/opportunity/${secret.id}/shares`],
      ['POST', `/api/records/opportunity/${secret.id}/shares`, { user_id: rep.id, access: 'edit' }],
    ] as [string, string, unknown?][]) {
      const response = await call(rep.token, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.json.error.code).toBe('record_not_found');
      expect(response.text).not.toContain(secret.title);
      expect(response.text).not.toContain('900000');
    }
    const nonexistent = await call(rep.token, 'GET', '/api/records/opportunity/00000000-0000-4000-8000-000000000000');
    // Indistinguishable from a record that does not exist (apart from the id itself).
    expect(nonexistent.json.error.message.replace('00000000-0000-4000-8000-000000000000', 'X')).toBe((await call(rep.token, 'GET', `/api/records/opportunity/${secret.id}`)).json.error.message.replace(secret.id, 'X'));
    expect(await engine.records.get(systemActor, 'opportunity', secret.id)).toEqual(before);
  });

  it('through lists, counts, search and filters: nothing of it shows, not even in totals', async () => {
    const { rep, secret } = world;
    const all = await call(rep.token, 'GET', '/api/records/opportunity?count=true');
    expect(all.json.data.map((r: { title: string }) => r.title)).toEqual(['My own deal']);
    expect(all.json.total).toBe(1);
    expect((await call(rep.token, 'GET', `/api/records/opportunity?q=${encodeURIComponent('Nightingale')}&count=true`)).json).toMatchObject({ data: [], total: 0 });
    expect((await call(rep.token, 'GET', `/api/records/opportunity?filter=${q({ '==': [{ var: 'title' }, secret.title] })}&count=true`)).json).toMatchObject({ data: [], total: 0 });
    expect((await call(rep.token, 'GET', `/api/records/opportunity?filter=${q({ '>': [{ var: 'amount' }, 500000] })}&count=true`)).json).toMatchObject({ data: [], total: 0 });
    expect((await call(rep.token, 'GET', `/api/records/opportunity?deleted=true&count=true`)).json.total).toBe(0);
  });

  it('through lookups and rollups: an expanded reference and a rollup reveal only what the rep may read', async () => {
    const { rep, secret, account } = world;
    const tasks = await call(rep.token, 'GET', '/api/records/task?expand=opportunity');
    expect(tasks.status).toBe(200);
    expect(tasks.json.data[0].opportunity).toEqual({ id: secret.id });
    expect(tasks.text).not.toContain(secret.title);
    const acme = await call(rep.token, 'GET', `/api/records/account/${account}`);
    expect(acme.json).toMatchObject({ deal_count: 1, pipeline: '100.00' });
    expect((await call(world.admin, 'GET', `/api/records/account/${account}`)).json).toMatchObject({ deal_count: 2, pipeline: '900100.00' });
    // A lookup to an invisible record is refused exactly like a lookup to a missing one.
    const pointed = await call(rep.token, 'POST', '/api/records/task', { subject: 'probe', opportunity: secret.id });
    expect(pointed.status).toBe(400);
    expect(pointed.json.error.fields).toEqual([{ path: 'opportunity', code: 'reference_not_found', message: 'Opportunity refers to a record that does not exist', field: 'opportunity', label: 'Opportunity' }]);
  });

  it('through exports: only their own records, only visible fields; without the permission, 403', async () => {
    const { rep, noExport, secret } = world;
    const csv = await call(rep.token, 'GET', '/api/records/opportunity/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('My own deal');
    expect(csv.text).not.toContain(secret.title);
    expect(csv.text.split('\n')[0]).not.toContain('margin');
    const ndjson = await call(rep.token, 'GET', '/api/records/opportunity/export?format=ndjson');
    expect(ndjson.text.trim().split('\n')).toHaveLength(1);
    const refused = await call(noExport.token, 'GET', '/api/records/opportunity/export');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    const audit = await call(world.admin, 'GET', `/api/audit?event=export&actor_id=${rep.id}`);
    expect(audit.json.data[0]).toMatchObject({ event: 'export', subject: 'opportunity', details: expect.objectContaining({ count: 1 }) });
  });

  it('refuses an export larger than the limit before sending anything, rather than cutting it short', async () => {
    const { engine } = world;
    await engine.objects.create(systemActor, { name: 'call_log', label: 'Call', fields: [{ name: 'minutes', type: 'integer', label: 'Minutes' }] });
    for (const minutes of [1, 2, 3, 4]) await engine.records.create(systemActor, 'call_log', { minutes });
    const audited = async () => (await call(world.admin, 'GET', '/api/audit?event=export&subject=call_log')).json.data.length;
    const tooLarge = await call(world.admin, 'GET', '/api/records/call_log/export?format=ndjson');
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.json.error).toMatchObject({ code: 'export_too_large', message: expect.stringContaining('3') });
    expect(await audited()).toBe(0);
    const narrowed = await call(world.admin, 'GET', `/api/records/call_log/export?format=ndjson&filter=${q({ '<': [{ var: 'minutes' }, 4] })}`);
    expect(narrowed.status).toBe(200);
    expect(narrowed.text.trim().split('\n')).toHaveLength(3);
    expect(await audited()).toBe(1);
  });
});

describe('hidden and read-only fields', () => {
  it('are absent from responses and cannot be filtered, sorted, selected or searched on', async () => {
    const { rep } = world;
    const mine = (await call(rep.token, 'GET', '/api/records/opportunity')).json.data[0];
    expect(mine).not.toHaveProperty('margin');
    // A formula computed from a hidden field would reveal it: hidden too.
    expect(mine).not.toHaveProperty('margin_band');
    expect(mine).toHaveProperty('discount');
    for (const path of [
      `/api/records/opportunity?filter=${q({ '>': [{ var: 'margin' }, 30] })}`,
      `/api/records/opportunity?filter=${q({ '==': [{ var: 'margin_band' }, 'high'] })}`,
      '/api/records/opportunity?sort=-margin',
      '/api/records/opportunity?fields=title,margin',
      `/api/records/opportunity/${mine.id}?fields=margin`,
    ]) {
      const response = await call(rep.token, 'GET', path);
      expect(response.status, path).toBe(400);
      expect(response.text).not.toContain('42');
    }
    // A text search must not match on a hidden searchable field either.
    expect((await call(rep.token, 'GET', '/api/records/opportunity?q=churn&count=true')).json).toMatchObject({ data: [], total: 0 });
    expect((await call(world.admin, 'GET', '/api/records/opportunity?q=churn&count=true')).json).toMatchObject({ total: 1 });
    const fields = await call(rep.token, 'GET', '/api/meta/objects/opportunity/fields');
    expect(fields.json.data.map((f: { name: string }) => f.name)).not.toContain('margin');
  });

  it('cannot be written: a PATCH or POST naming them is a 403 naming them, and changes nothing', async () => {
    const { rep, engine } = world;
    const mine = (await call(rep.token, 'GET', '/api/records/opportunity')).json.data[0];
    const patch = await call(rep.token, 'PATCH', `/api/records/opportunity/${mine.id}`, { discount: 50, title: 'renamed' });
    expect(patch.status).toBe(403);
    expect(patch.json.error).toMatchObject({ code: 'field_forbidden', fields: [{ path: 'discount', code: 'forbidden' }] });
    const hidden = await call(rep.token, 'POST', '/api/records/opportunity', { title: 'x', margin: 99 });
    expect(hidden.status).toBe(403);
    expect(hidden.json.error.fields).toEqual([{ path: 'margin', code: 'forbidden', message: 'may not be changed by you' }]);
    expect(await engine.records.get(systemActor, 'opportunity', mine.id)).toMatchObject({ title: 'My own deal', discount: null, version: 1 });
  });
});

describe('no self-promotion', () => {
  it('a rep cannot give themselves roles, create roles, or move records to someone outside their scope', async () => {
    const { rep, peer, engine } = world;
    expect((await call(rep.token, 'PATCH', `/api/users/${rep.id}`, { roles: ['administrator'] })).status).toBe(403);
    expect((await call(rep.token, 'POST', '/api/meta/roles', { name: 'root', label: 'Root', admin: true, objects: {} })).status).toBe(403);
    expect((await call(rep.token, 'POST', '/api/meta/objects', { name: 'backdoor', label: 'Backdoor' })).status).toBe(403);
    expect((await call(rep.token, 'GET', '/api/audit')).status).toBe(403);
    const mine = (await call(rep.token, 'GET', '/api/records/opportunity')).json.data[0];
    const handOff = await call(rep.token, 'PATCH', `/api/records/opportunity/${mine.id}`, { owner_id: peer.id });
    expect(handOff.status).toBe(403);
    expect((await call(rep.token, 'POST', '/api/records/opportunity', { title: 'for peer', owner_id: peer.id })).status).toBe(403);
    expect((await engine.users.get(systemActor, rep.id)).roles).toEqual(['sales_rep']);
  });

  it('an administrator cannot change their own roles either', async () => {
    const me = (await call(world.admin, 'GET', '/api/auth/me')).json.user.id;
    const response = await call(world.admin, 'PATCH', `/api/users/${me}`, { roles: [] });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('forbidden');
  });

  it('a share grants nothing its grantor does not hold', async () => {
    const { rep, peer, westRep, secret, engine } = world;
    // The owner shares for reading: the rep can now read, not edit, and cannot pass it on.
    const granted = await call(peer.token, 'POST', `/api/records/opportunity/${secret.id}/shares`, { user_id: rep.id, access: 'read' });
    expect(granted.status).toBe(201);
    expect((await call(rep.token, 'GET', `/api/records/opportunity/${secret.id}`)).json.title).toBe(secret.title);
    const edit = await call(rep.token, 'PATCH', `/api/records/opportunity/${secret.id}`, { title: 'mine now' });
    expect(edit.status).toBe(403);
    // The shares list tells each reader whether they may share (what POST would answer).
    expect((await call(rep.token, 'GET', `/api/records/opportunity/${secret.id}/shares`)).json).toMatchObject({ can_share: false, data: [{ user_id: rep.id, access: 'read' }] });
    expect((await call(peer.token, 'GET', `/api/records/opportunity/${secret.id}/shares`)).json.can_share).toBe(true);
    const reshare = await call(rep.token, 'POST', `/api/records/opportunity/${secret.id}/shares`, { user_id: westRep.id, access: 'edit' });
    expect(reshare.status).toBe(403);
    expect((await call(westRep.token, 'GET', `/api/records/opportunity/${secret.id}`)).status).toBe(404);
    await call(peer.token, 'DELETE', `/api/records/opportunity/${secret.id}/shares/${granted.json.id}`);
    expect((await call(rep.token, 'GET', `/api/records/opportunity/${secret.id}`)).status).toBe(404);
    expect((await engine.records.get(systemActor, 'opportunity', secret.id)).title).toBe(secret.title);
  });
});

describe('scopes and tokens', () => {
  it('a manager sees their department and below, finance sees all with the margin, west sees only west', async () => {
    const { manager, finance, westRep, secret } = world;
    const managed = (await call(manager.token, 'GET', '/api/records/opportunity?sort=title')).json.data.map((r: { title: string }) => r.title);
    expect(managed).toEqual(['My own deal', secret.title, 'West deal']);
    const financeView = (await call(finance.token, 'GET', `/api/records/opportunity/${secret.id}`)).json;
    expect(financeView.margin).toBe('42.00');
    expect((await call(finance.token, 'PATCH', `/api/records/opportunity/${secret.id}`, { title: 'x' })).status).toBe(403);
    expect((await call(westRep.token, 'GET', '/api/records/opportunity')).json.data.map((r: { title: string }) => r.title)).toEqual(['West deal']);
  });

  it("a deactivated user's token stops working at once", async () => {
    const { engine } = world;
    const leaver = await person(engine, 'Leaver', ['sales_rep'], world.east);
    expect((await call(leaver.token, 'GET', '/api/records/opportunity')).status).toBe(200);
    expect((await call(world.admin, 'PATCH', `/api/users/${leaver.id}`, { active: false })).status).toBe(200);
    const after = await call(leaver.token, 'GET', '/api/records/opportunity');
    expect(after.status).toBe(401);
  });

  it('a token limited by scopes cannot do more than its scopes, nor mint a broader token', async () => {
    const { rep } = world;
    const created = await call(rep.token, 'POST', '/api/auth/tokens', { name: 'read only', scopes: { opportunity: ['read'] } });
    expect(created.status).toBe(201);
    const limited = created.json.token as string;
    expect((await call(limited, 'GET', '/api/records/opportunity')).status).toBe(200);
    expect((await call(limited, 'POST', '/api/records/opportunity', { title: 'nope' })).status).toBe(403);
    expect((await call(limited, 'GET', '/api/records/account')).status).toBe(403);
    expect((await call(limited, 'GET', '/api/records/opportunity/export')).status).toBe(403);
    expect((await call(limited, 'POST', '/api/auth/tokens', { name: 'escalate' })).status).toBe(403);
    const adminScoped = await call(world.admin, 'POST', '/api/auth/tokens', { name: 'admin read', scopes: { '*': ['read'] } });
    expect((await call(adminScoped.json.token, 'POST', '/api/meta/objects', { name: 'via_scoped', label: 'X' })).status).toBe(403);
    expect((await call(adminScoped.json.token, 'POST', '/api/records/account', { name: 'x' })).status).toBe(403);
  });
});

describe('audit and field history', () => {
  it('records ownership transfers, role changes and sign-in failures for administrators to read', async () => {
    const { manager, rep, peer, engine } = world;
    const own = await engine.records.create(userActor(rep.id), 'opportunity', { title: 'to move' });
    const moved = await call(manager.token, 'POST', '/api/records/opportunity/transfer', { ids: [own.id], owner_id: peer.id });
    expect(moved.json).toEqual({ transferred: 1 });
    const transfers = await call(world.admin, 'GET', `/api/audit?event=ownership_transferred&subject=${encodeURIComponent(`opportunity/${own.id as string}`)}`);
    expect(transfers.json.data).toEqual([expect.objectContaining({ actor_id: manager.id, details: { from: rep.id, to: peer.id } })]);
    await fetch(`${server().base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'rep.east@example.com', password: 'wrong password!' }) });
    const failures = await call(world.admin, 'GET', '/api/audit?event=sign_in_failed&limit=5');
    expect(failures.json.data[0]).toMatchObject({ event: 'sign_in_failed', subject: 'rep.east@example.com', actor_id: null });
    expect((await call(world.admin, 'GET', '/api/audit?event=role_created')).json.data.length).toBeGreaterThanOrEqual(4);
    expect((await call(world.admin, 'GET', '/api/audit?event=nonsense')).status).toBe(400);
  });

  it('keeps field history of tracked objects, and shows each reader only the fields they may see', async () => {
    const { manager, peer, secret } = world;
    expect((await call(peer.token, 'PATCH', `/api/records/opportunity/${secret.id}`, { amount: '950000', stage: 'won' })).status).toBe(200);
    expect((await call(world.admin, 'PATCH', `/api/records/opportunity/${secret.id}`, { margin: 45 })).status).toBe(200);
    const adminHistory = (await call(world.admin, 'GET', `/api/records/opportunity/${secret.id}/history`)).json.data;
    expect(adminHistory.map((c: { field: string }) => c.field).sort()).toEqual(['amount', 'margin', 'stage']);
    expect(adminHistory.find((c: { field: string }) => c.field === 'amount')).toMatchObject({ old_value: '900000.00', new_value: '950000.00', actor_id: peer.id });
    const peerHistory = (await call(peer.token, 'GET', `/api/records/opportunity/${secret.id}/history`)).json.data;
    expect(peerHistory.map((c: { field: string }) => c.field).sort()).toEqual(['amount', 'stage']);
    expect((await call(manager.token, 'GET', `/api/records/opportunity/${secret.id}/history`)).json.data).toHaveLength(3);
  });
});
