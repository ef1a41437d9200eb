import { installTemplate, systemActor, type Engine } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../support/test-server';
import { callAs, createPerson, type Person } from './people';

/**
 * The approval grant over HTTP: an approver whose read scope does not reach the record reads it
 * while a task of theirs on it waits (hidden fields still hidden, no writes, not in their lists),
 * and no longer once they decided, handed the task on, or the submitter recalled the request.
 * Sales template: Li (rep, East) submits; Wang (sales manager, East) is his manager; Xu is a sales
 * manager in West (department scope: not Li's records); Qian an auditor reading only her own
 * opportunities without their description; Chen another rep with no task.
 */

const server = useTestServer();

let engine: Engine;
let li: Person;
let wang: Person;
let xu: Person;
let qian: Person;
let chen: Person;
let blind: Person;
let accountId: string;

const person = (name: string, roles: string[], department: string, manager: string | null = null) => createPerson(engine, name, roles, department, manager);

const call = (who: Person, method: string, path: string, body?: unknown) => callAs(server(), who, method, path, body);

/** Li's opportunity, submitted by Li: its pending request. */
async function submitted(title: string, amount: string): Promise<{ deal: string; request: string }> {
  const created = await call(li, 'POST', '/api/records/opportunity', { title, account: accountId, amount, stage: 'qualify', description: 'draft terms' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  // A change of a visible and of a hidden field, for the field history.
  const changed = await call(li, 'PATCH', `/api/records/opportunity/${created.body.id}`, { stage: 'proposal', description: `${title}: confidential terms` });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  const request = await call(li, 'POST', `/api/records/opportunity/${created.body.id}/submit`, {});
  expect(request.status, JSON.stringify(request.body)).toBe(201);
  return { deal: created.body.id as string, request: request.body.id as string };
}

const read = (who: Person, deal: string) => call(who, 'GET', `/api/records/opportunity/${deal}`);

async function listed(who: Person, deal: string): Promise<boolean> {
  const list = await call(who, 'GET', '/api/records/opportunity?limit=200');
  expect(list.status).toBe(200);
  return list.body.data.some((r: { id: string }) => r.id === deal);
}

beforeAll(async () => {
  engine = server().engine;
  await installTemplate(engine, systemActor, readTemplate('sales'), { sampleData: false });
  await engine.roles.create(systemActor, { name: 'auditor', label: 'Auditor', objects: { account: { read: true }, opportunity: { read: true, read_scope: 'own', fields: { description: 'hidden' } } } });
  await engine.roles.create(systemActor, { name: 'accounts_only', label: 'Accounts only', objects: { account: { read: true } } });
  const east = await engine.departments.create(systemActor, { name: 'East' });
  const west = await engine.departments.create(systemActor, { name: 'West' });
  wang = await person('Wang', ['sales_manager'], east.id);
  li = await person('Li', ['sales_rep'], east.id, wang.id);
  chen = await person('Chen', ['sales_rep'], east.id, wang.id);
  xu = await person('Xu', ['sales_manager'], west.id);
  qian = await person('Qian', ['auditor'], west.id);
  blind = await person('Blind', ['accounts_only'], west.id);
  accountId = (await engine.records.create(systemActor, 'account', { name: 'Huaxin' })).id as string;
});

describe('an approver reads the record they are asked to approve', () => {
  it('while the task waits: hidden fields stay hidden, no edit or delete, not in lists; others still get 404', async () => {
    const { deal, request } = await submitted('East deal', '600000');
    expect((await read(qian, deal)).status).toBe(404);
    // Wang hands his task to Qian, whose scope reaches only her own opportunities.
    expect((await call(wang, 'POST', `/api/approvals/${request}/reassign`, { to_user_id: qian.id })).status).toBe(200);

    const got = await read(qian, deal);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: deal, title: 'East deal', amount: '600000.00' });
    expect(got.body).not.toHaveProperty('description');
    expect((await call(qian, 'GET', `/api/records/opportunity/${deal}?fields=title,amount`)).body).toMatchObject({ title: 'East deal' });
    // What the record page reads with it: its approvals and field history.
    const approvals = await call(qian, 'GET', `/api/records/opportunity/${deal}/approvals`);
    expect(approvals.status).toBe(200);
    expect(approvals.body.data[0]).toMatchObject({ id: request, status: 'pending' });
    const history = await call(qian, 'GET', `/api/records/opportunity/${deal}/history`);
    expect(history.status).toBe(200);
    expect(history.body.data.map((c: { field: string }) => c.field)).toContain('stage');
    expect(JSON.stringify(history.body)).not.toContain('confidential');
    expect(JSON.stringify((await call(li, 'GET', `/api/records/opportunity/${deal}/history`)).body)).toContain('confidential');

    // Reading is all the grant gives: the record is visible, so a write is refused as not hers (403).
    const patched = await call(qian, 'PATCH', `/api/records/opportunity/${deal}`, { title: 'Mine now' });
    expect(patched.status).toBe(403);
    expect((await call(qian, 'DELETE', `/api/records/opportunity/${deal}`)).status).toBe(403);
    // Who else may see it, as any reader may; sharing it further needs edit.
    const shares = await call(qian, 'GET', `/api/records/opportunity/${deal}/shares`);
    expect(shares.status).toBe(200);
    // The list says so, so a UI offers no share form the server would refuse.
    expect(shares.body.can_share).toBe(false);
    expect((await call(qian, 'POST', `/api/records/opportunity/${deal}/shares`, { user_id: chen.id, access: 'read' })).status).toBe(403);
    expect((await read(li, deal)).body.title).toBe('East deal');
    // Shown through the approval, not among her records.
    expect(await listed(qian, deal)).toBe(false);
    const groups = await call(qian, 'GET', '/api/records/opportunity/groups?group_by=stage');
    expect(groups.status).toBe(200);
    expect(groups.body.data.reduce((sum: number, g: { count: number }) => sum + g.count, 0)).toBe(0);
    const search = await call(qian, 'GET', '/api/search?q=East');
    expect(search.status).toBe(200);
    expect(JSON.stringify(search.body)).not.toContain(deal);
    expect(JSON.stringify((await call(li, 'GET', '/api/search?q=East')).body)).toContain(deal);
    // Nobody else gains anything: a rep with no task, a West manager with no task.
    expect((await read(chen, deal)).status).toBe(404);
    expect((await read(xu, deal)).status).toBe(404);
    expect((await call(chen, 'GET', `/api/records/opportunity/${deal}/approvals`)).status).toBe(404);

    // Qian decides: the grant ends with her task.
    expect((await call(qian, 'POST', `/api/approvals/${request}/approve`, { comment: 'Fine' })).status).toBe(200);
    expect((await read(qian, deal)).status).toBe(404);
    expect((await call(qian, 'GET', `/api/records/opportunity/${deal}/approvals`)).status).toBe(404);
    // Her decided list still names it (its title is what the inbox shows).
    const decided = await call(qian, 'GET', '/api/approvals/decided');
    expect(decided.body.data.map((d: { request_id: string }) => d.request_id)).toContain(request);
  });

  it('a sales manager of another department reads a deal of the step that waits on every sales manager, until they decide', async () => {
    const { deal, request } = await submitted('Huge deal', '2500000');
    expect((await read(xu, deal)).status).toBe(404);
    expect((await call(wang, 'POST', `/api/approvals/${request}/approve`, {})).status).toBe(200);
    expect((await read(xu, deal)).status).toBe(200);
    expect((await read(xu, deal)).body.description).toBe('Huge deal: confidential terms');
    expect(await listed(xu, deal)).toBe(false);
    expect((await call(xu, 'POST', `/api/approvals/${request}/approve`, {})).status).toBe(200);
    expect((await read(xu, deal)).status).toBe(404);
  });

  it('ends when the task is handed on, when the request is rejected, and when it is recalled', async () => {
    const first = await submitted('Handed on', '700000');
    await call(wang, 'POST', `/api/approvals/${first.request}/reassign`, { to_user_id: qian.id });
    expect((await read(qian, first.deal)).status).toBe(200);
    expect((await call(qian, 'POST', `/api/approvals/${first.request}/reassign`, { to_user_id: xu.id })).status).toBe(200);
    expect((await read(qian, first.deal)).status).toBe(404);
    expect((await read(xu, first.deal)).status).toBe(200);
    const rejected = await call(xu, 'POST', `/api/approvals/${first.request}/reject`, { comment: 'No' });
    expect(rejected.body.status).toBe('rejected');
    expect((await read(xu, first.deal)).status).toBe(404);

    const second = await submitted('Recalled', '800000');
    await call(wang, 'POST', `/api/approvals/${second.request}/reassign`, { to_user_id: xu.id });
    expect((await read(xu, second.deal)).status).toBe(200);
    expect((await call(li, 'POST', `/api/approvals/${second.request}/recall`, {})).status).toBe(200);
    expect((await read(xu, second.deal)).status).toBe(404);
  });

  it('widens the record scope only: a role that may not read the object reads nothing through a task', async () => {
    const { deal, request } = await submitted('Blind deal', '900000');
    expect((await call(wang, 'POST', `/api/approvals/${request}/reassign`, { to_user_id: blind.id })).status).toBe(200);
    expect((await read(blind, deal)).status).toBe(403);
    // The task itself still works: the approver decides from the inbox.
    expect((await call(blind, 'GET', '/api/approvals/inbox')).body.data.map((t: { request_id: string }) => t.request_id)).toContain(request);
  });
});

/**
 * The approval lock guards the values under approval, not who reaches the record: as with
 * Salesforce's record locking, the owner may still share a pending record (with a colleague who
 * is to help, say), and an edit share lets nobody around the lock.
 */
describe('sharing a record that waits for approval', () => {
  it('is allowed to whoever may edit it; an edit share does not lift the lock, and works once the request is recalled', async () => {
    const { deal, request } = await submitted('Shared while pending', '650000');
    expect((await read(chen, deal)).status).toBe(404);
    const before = await call(li, 'GET', `/api/records/opportunity/${deal}/shares`);
    expect(before.body.can_share).toBe(true);
    const granted = await call(li, 'POST', `/api/records/opportunity/${deal}/shares`, { user_id: chen.id, access: 'edit' });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);

    expect((await read(chen, deal)).status).toBe(200);
    const refused = await call(chen, 'PATCH', `/api/records/opportunity/${deal}`, { stage: 'negotiation' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('record_locked');
    expect((await read(chen, deal)).body.stage).toBe('proposal');

    expect((await call(li, 'POST', `/api/approvals/${request}/recall`, {})).status).toBe(200);
    const changed = await call(chen, 'PATCH', `/api/records/opportunity/${deal}`, { stage: 'negotiation' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.stage).toBe('negotiation');
  });
});
