import { systemActor, userActor, verifyWebhookSignature } from '@crm/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox, startReceiver, waitFor, type Mailbox, type Receiver } from '../jobs/support';
import { startTestServer, stopTestServer, type TestServer } from '../support/test-server';

const SECRET = 'whsec_workflows_0123456789';

/**
 * Workflows over real HTTP: configured through the metadata API, triggered by record writes
 * through the record API, their webhooks delivered (signed, once) to a receiver on a loopback
 * port and their email to a local SMTP server; the run log is for administrators only, and each
 * user reads and marks their own notifications.
 */
describe('workflows over HTTP', () => {
  let server: TestServer;
  let receiver: Receiver;
  let mailbox: Mailbox;
  let rep: { id: string; token: string };

  const as = (token: string, method: string, path: string, body?: unknown) => server.api(method, path, body, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    receiver = await startReceiver();
    mailbox = await startMailbox();
    server = await startTestServer({
      engine: {
        jobs: { backoff: { baseMs: 50, maxMs: 200 }, pollIntervalMs: 25, maxAttempts: 3 },
        delivery: { webhook: { secret: SECRET, timeoutMs: 2000 }, mail: { smtpUrl: mailbox.smtpUrl, from: 'CRM <crm@acme.example>' } },
      },
    });
    const { engine } = server;
    await engine.objects.create(systemActor, {
      name: 'deal',
      label: 'Deal',
      fields: [
        { name: 'title', type: 'text', label: 'Title' },
        { name: 'amount', type: 'currency', label: 'Amount' },
        { name: 'stage', type: 'select', label: 'Stage', options: ['new', 'won'].map((value) => ({ value, label: value })) },
        { name: 'flagged', type: 'boolean', label: 'Flagged' },
      ],
    });
    await engine.roles.create(systemActor, { name: 'rep', label: 'Rep', objects: { deal: { read: true, create: true, edit: true, read_scope: 'own', edit_scope: 'own' } } });
    const user = await engine.users.create(systemActor, { name: 'Rep', email: 'rep@acme.example', roles: ['rep'] });
    rep = { id: user.id, token: (await engine.auth.createToken(userActor(user.id), { name: 'tests' })).token };
    await engine.jobs.start();
  });
  afterAll(async () => {
    await stopTestServer(server);
    await receiver?.close();
    await mailbox?.close();
  });

  it('configures workflows through the metadata API, administrators only', async () => {
    const won = {
      name: 'deal_won',
      label: { en: 'Deal won', 'zh-CN': '赢单通知' },
      trigger: { type: 'record', events: ['updated'], fields: ['stage'], condition: { '==': [{ var: 'stage' }, 'won'] } },
      actions: [
        { name: 'flag', type: 'update_record', values: { flagged: true } },
        { name: 'tell_owner', type: 'notify', recipients: [{ field: 'owner_id' }], title: 'Won: {{title}}' },
        { name: 'mail_owner', type: 'send_email', to: [{ field: 'owner_id' }], subject: 'Won: {{title}}', text: 'Amount {{amount}}', html: '<p>{{title}}</p>' },
        { name: 'erp', type: 'webhook', url: receiver.url },
      ],
    };
    const created = await server.api('POST', '/api/meta/objects/deal/workflows', won);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'deal_won', revision: expect.any(Number) });
    expect((await server.api('GET', '/api/meta/objects/deal/workflows')).body.data.map((w: { name: string }) => w.name)).toEqual(['deal_won']);
    expect((await server.api('GET', '/api/meta/objects/deal/workflows/deal_won')).body).toMatchObject({ name: 'deal_won', trigger: { type: 'record' } });
    const bad = await server.api('POST', '/api/meta/objects/deal/workflows', { ...won, name: 'bad', actions: [{ type: 'update_record', values: { ghost: 1 } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'metadata_invalid', fields: [{ path: 'actions/0/values/ghost' }] });
    // A constant the field would refuse is refused when the workflow is saved, not when it runs.
    const literal = await server.api('POST', '/api/meta/objects/deal/workflows', { ...won, name: 'bad_literal', actions: [{ type: 'update_record', values: { stage: 'lost' } }] });
    expect(literal.status).toBe(400);
    expect(literal.body.error).toMatchObject({ code: 'metadata_invalid', fields: [{ path: 'actions/0/values/stage' }] });
    expect(literal.body.error.message).toContain('actions/0/values/stage "lost" is not one of the options');
    expect((await as(rep.token, 'GET', '/api/meta/objects/deal/workflows')).status).toBe(403);
    expect((await as(rep.token, 'POST', '/api/meta/objects/deal/workflows', { ...won, name: 'mine' })).status).toBe(403);
    expect((await server.api('GET', '/api/meta/objects/deal/workflows/ghost')).body.error.code).toBe('workflow_not_found');
    const patched = await server.api('PATCH', '/api/meta/objects/deal/workflows/deal_won', { description: 'Tell the owner' });
    expect(patched.body).toMatchObject({ description: 'Tell the owner' });
    const document = (await server.api('GET', '/api/openapi.json')).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/meta/objects/{object}/workflows', '/api/meta/objects/{object}/workflows/{name}', '/api/workflow-runs', '/api/notifications', '/api/notifications/{id}/read', '/api/notifications/read-all']),
    );
  });

  it('runs on a write through the record API: delivers the webhook once, signed, and the email; logs the run for administrators', async () => {
    const deal = (await as(rep.token, 'POST', '/api/records/deal', { title: 'Acme <renewal>', amount: 1200, stage: 'new' })).body;
    const won = await as(rep.token, 'PATCH', `/api/records/deal/${deal.id}`, { stage: 'won' });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ stage: 'won', flagged: true });

    const runs = await server.api('GET', `/api/workflow-runs?workflow=deal_won&record=${deal.id}`);
    expect(runs.status).toBe(200);
    expect(runs.body.data).toMatchObject([{ object: 'deal', workflow: 'deal_won', trigger: 'updated', actor_id: rep.id, outcome: 'completed', conditions: { fields_changed: ['stage'], condition: true } }]);
    const runId = runs.body.data[0].id as string;
    expect((await as(rep.token, 'GET', '/api/workflow-runs')).status).toBe(403);

    const delivery = `workflow:${runId}:erp`;
    await waitFor(() => receiver.delivered(delivery) === 1, 10_000, 'webhook delivery');
    const receipt = receiver.receipts.find((r) => r.delivery === delivery)!;
    expect(verifyWebhookSignature(SECRET, receipt.raw, receipt.signature)).toBe(true);
    // The record as committed: with the workflow's own update (flagged), made after the webhook was asked for.
    expect(JSON.parse(receipt.raw)).toMatchObject({ workflow: 'deal_won', event: 'updated', object: 'deal', run_id: runId, record: { ...won.body }, old: { stage: 'new', flagged: null } });
    const mail = await waitFor(() => mailbox.mails.find((m) => m.subject === 'Won: Acme <renewal>'), 10_000, 'email');
    expect(mail.text?.trim()).toBe('Amount 1,200.00');
    expect(mail.html).toContain('Acme &lt;renewal&gt;');
    // The same write's run never delivers twice.
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.receipts.filter((r) => r.delivery === delivery)).toHaveLength(1);

    const notes = await as(rep.token, 'GET', '/api/notifications?unread=true');
    expect(notes.body.data).toMatchObject([{ title: 'Won: Acme <renewal>', object: 'deal', record_id: deal.id, read_at: null }]);
    const read = await as(rep.token, 'POST', `/api/notifications/${notes.body.data[0].id}/read`);
    expect(read.body.read_at).toEqual(expect.any(String));
    expect((await as(rep.token, 'GET', '/api/notifications?unread=true')).body.data).toEqual([]);
    expect((await server.api('POST', `/api/notifications/${notes.body.data[0].id}/read`)).status).toBe(404);
  });

  it('marks all of my notifications read in one request, and nobody else\'s', async () => {
    const other = await server.engine.users.create(systemActor, { name: 'Other', email: 'other@acme.example', roles: ['rep'] });
    const otherToken = (await server.engine.auth.createToken(userActor(other.id), { name: 'tests' })).token;
    for (const [token, title] of [[rep.token, 'Mine A'], [rep.token, 'Mine B'], [otherToken, 'Theirs']] as const) {
      const deal = (await as(token, 'POST', '/api/records/deal', { title, stage: 'new' })).body;
      expect((await as(token, 'PATCH', `/api/records/deal/${deal.id}`, { stage: 'won' })).status).toBe(200);
    }
    expect((await as(rep.token, 'GET', '/api/notifications?unread=true')).body.data.map((n: { title: string }) => n.title).sort()).toEqual(['Won: Mine A', 'Won: Mine B']);
    const marked = await as(rep.token, 'POST', '/api/notifications/read-all');
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ marked: 2 });
    expect((await as(rep.token, 'GET', '/api/notifications?unread=true')).body.data).toEqual([]);
    expect((await as(rep.token, 'POST', '/api/notifications/read-all')).body).toEqual({ marked: 0 });
    expect((await as(otherToken, 'GET', '/api/notifications?unread=true')).body.data).toMatchObject([{ title: 'Won: Theirs', read_at: null }]);
    expect((await server.api('POST', '/api/notifications/read-all', undefined, { authorization: '' })).status).toBe(401);
  });

  it("delivers the record as committed: a webhook and an email of workflow a_ carry what workflow b_ of the same write changed", async () => {
    await server.engine.objects.create(systemActor, {
      name: 'lead',
      label: 'Lead',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'status', type: 'select', label: 'Status', options: ['new', 'qualified'].map((value) => ({ value, label: value })) },
        { name: 'score', type: 'integer', label: 'Score' },
      ],
    });
    const hook = await server.api('POST', '/api/meta/objects/lead/workflows', {
      name: 'a_announce',
      trigger: { type: 'record', events: ['created'] },
      actions: [
        { name: 'crm_hook', type: 'webhook', url: receiver.url },
        { name: 'crm_mail', type: 'send_email', to: ['leads@acme.example'], subject: 'Lead {{name}} is {{status}}', text: 'Score {{score}}' },
      ],
    });
    expect(hook.status).toBe(201);
    const qualify = await server.api('POST', '/api/meta/objects/lead/workflows', {
      name: 'b_qualify',
      trigger: { type: 'record', events: ['created'], condition: { '>': [{ var: 'score' }, 50] } },
      actions: [{ type: 'update_record', values: { status: 'qualified', score: { '*': [{ var: 'score' }, 2] } } }],
    });
    expect(qualify.status).toBe(201);

    const created = await server.api('POST', '/api/records/lead', { name: 'Hot lead', status: 'new', score: 60 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'qualified', score: 120, version: 2 });
    const committed = (await server.api('GET', `/api/records/lead/${created.body.id}`)).body;
    const run = (await server.api('GET', `/api/workflow-runs?workflow=a_announce&record=${created.body.id}`)).body.data[0];
    const delivery = `workflow:${run.id}:crm_hook`;
    await waitFor(() => receiver.delivered(delivery) === 1, 10_000, 'webhook delivery');
    expect(JSON.parse(receiver.receipts.find((r) => r.delivery === delivery)!.raw)).toEqual({ workflow: 'a_announce', event: 'created', object: 'lead', record: committed, old: null, run_id: run.id });
    const mail = await waitFor(() => mailbox.mails.find((m) => m.subject === 'Lead Hot lead is qualified'), 10_000, 'email');
    expect(mail.text?.trim()).toBe('Score 120');
  });

  it('answers a failing workflow with 422 workflow_failed and writes nothing', async () => {
    await server.api('POST', '/api/meta/objects/deal/workflows', {
      name: 'needs_stage',
      trigger: { type: 'record', events: ['created'], condition: { '>': [{ var: 'amount' }, 1000000] } },
      actions: [{ name: 'bad_stage', type: 'update_record', values: { stage: { cat: ['st', 'range'] } } }],
    });
    const before = (await server.api('GET', '/api/records/deal?count=true')).body.total;
    const failed = await as(rep.token, 'POST', '/api/records/deal', { title: 'Too big', amount: 2000000 });
    expect(failed.status).toBe(422);
    expect(failed.body.error).toMatchObject({ code: 'workflow_failed', message: expect.stringContaining('"needs_stage"') });
    expect(failed.body.error.message).toContain('bad_stage');
    expect((await server.api('GET', '/api/records/deal?count=true')).body.total).toBe(before);
    const zh = await fetch(`${server.base}/api/records/deal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rep.token}`, 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      body: JSON.stringify({ title: 'Too big', amount: 2000000 }),
    });
    expect(((await zh.json()) as { error: { message: string } }).error.message).toContain('工作流');
    await server.api('DELETE', '/api/meta/objects/deal/workflows/needs_stage');
  });
});
