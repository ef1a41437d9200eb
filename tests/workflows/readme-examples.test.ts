import { readFileSync } from 'node:fs';
import { systemActor, userActor } from '@crm/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox, waitFor, type Mailbox } from '../jobs/support';
import { startTestServer, stopTestServer, type TestServer } from '../support/test-server';

/**
 * The README's workflow examples, read from README.md itself so that it cannot drift from what
 * works: saved through the metadata API as they are printed, then watched doing what their
 * sentence says.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

type Doc = { name: string } & Record<string, unknown>;

function readmeExamples(): Doc[] {
  const start = README.indexOf('## Workflows');
  const workflows = README.slice(start, README.indexOf('\n## ', start + 5));
  const blocks = [...workflows.matchAll(/```(json|jsonc)\n([\s\S]*?)```/g)].map((m) => m[2]!);
  const docs = blocks.flatMap((block) =>
    block
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('//'))
      .join('\n')
      .split(/\n\s*\n/)
      .filter((chunk) => chunk.trim() !== '')
      .map((chunk) => JSON.parse(chunk) as Doc),
  );
  return docs;
}

describe("the README's workflow examples", () => {
  let server: TestServer;
  let mailbox: Mailbox;
  const docs = readmeExamples();
  const doc = (name: string) => {
    const found = docs.find((d) => d.name === name);
    if (!found) throw new Error(`README has no example named ${name}`);
    return found;
  };
  const users: Record<string, { id: string; token: string }> = {};

  const as = (token: string, method: string, path: string, body?: unknown) => server.api(method, path, body, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({
      engine: {
        jobs: { backoff: { baseMs: 50, maxMs: 200 }, pollIntervalMs: 25, maxAttempts: 3 },
        delivery: { mail: { smtpUrl: mailbox.smtpUrl, from: 'CRM <crm@acme.example>' } },
      },
    });
    const { engine } = server;
    const select = (...values: string[]) => values.map((value) => ({ value, label: value }));
    await engine.objects.create(systemActor, {
      name: 'opportunity',
      label: 'Opportunity',
      title_field: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'amount', type: 'currency', label: 'Amount' },
      ],
    });
    await engine.objects.create(systemActor, {
      name: 'lead',
      label: 'Lead',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'status', type: 'select', label: 'Status', options: select('new', 'working', 'reassigned') },
      ],
    });
    await engine.objects.create(systemActor, {
      name: 'contract',
      label: 'Contract',
      title_field: 'name',
      fields: [
        { name: 'name', type: 'text', label: 'Name' },
        { name: 'status', type: 'select', label: 'Status', options: select('draft', 'signed', 'ended') },
        { name: 'amount', type: 'currency', label: 'Amount' },
        { name: 'start_date', type: 'date', label: 'Starts' },
        { name: 'end_date', type: 'date', label: 'Ends' },
      ],
    });
    await engine.objects.create(systemActor, {
      name: 'payment_plan',
      label: 'Payment plan',
      fields: [
        { name: 'contract', type: 'lookup', label: 'Contract', target: 'contract' },
        { name: 'amount', type: 'currency', label: 'Amount' },
        { name: 'due_date', type: 'date', label: 'Due' },
      ],
    });
    const everything = { read: true, create: true, edit: true, read_scope: 'all', edit_scope: 'all' } as const;
    await engine.roles.create(systemActor, { name: 'sales_director', label: 'Sales director', objects: { opportunity: everything } });
    await engine.roles.create(systemActor, { name: 'sales_rep', label: 'Sales rep', objects: { opportunity: everything, lead: everything, contract: everything } });
    for (const [key, role] of [['director', 'sales_director'], ['rep1', 'sales_rep'], ['rep2', 'sales_rep']] as const) {
      const user = await engine.users.create(systemActor, { name: key, email: `${key}@acme.example`, roles: [role] });
      users[key] = { id: user.id, token: (await engine.auth.createToken(userActor(user.id), { name: 'tests' })).token };
    }
    await engine.jobs.start();
  });
  afterAll(async () => {
    await stopTestServer(server);
    await mailbox?.close();
  });

  const save = async (object: string, kind: 'workflows' | 'approval-processes', body: Doc) => {
    const saved = await server.api('POST', `/api/meta/objects/${object}/${kind}`, body);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  };

  it('holds every example the README prints, as valid JSON', () => {
    expect(docs.map((d) => d.name).sort()).toEqual(['back_to_pool', 'first_payment_plan', 'large_deal', 'large_deal_approval', 'renewal_reminder']);
  });

  it("a deal over 500,000 waits for the sales director's approval", async () => {
    await save('opportunity', 'approval-processes', doc('large_deal'));
    await save('opportunity', 'workflows', doc('large_deal_approval'));
    const small = await as(users.rep1!.token, 'POST', '/api/records/opportunity', { name: 'Small', amount: '120000' });
    const big = await as(users.rep1!.token, 'POST', '/api/records/opportunity', { name: 'Big', amount: '750000' });
    expect([small.status, big.status]).toEqual([201, 201]);
    expect((await server.api('GET', `/api/records/opportunity/${small.body.id}/approvals`)).body.data).toEqual([]);
    const requests = (await server.api('GET', `/api/records/opportunity/${big.body.id}/approvals`)).body.data;
    expect(requests).toMatchObject([{ status: 'pending', current_step: 'director' }]);
    const inbox = (await as(users.director!.token, 'GET', '/api/approvals/inbox')).body.data;
    expect(inbox).toMatchObject([{ object: 'opportunity', record_id: big.body.id, step: 'director' }]);
    // Locked while the director decides.
    expect((await as(users.rep1!.token, 'PATCH', `/api/records/opportunity/${big.body.id}`, { amount: '400000' })).status).toBe(409);
    const approved = await as(users.director!.token, 'POST', `/api/approvals/${requests[0].id}/approve`, { step: 'director' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });

  it('a lead not followed up in 7 days goes back to the pool, round-robin among the sales reps', async () => {
    await save('lead', 'workflows', doc('back_to_pool'));
    const { engine } = server;
    const create = async (name: string, status: string) => (await server.api('POST', '/api/records/lead', { name, status })).body.id as string;
    const stale = [await create('Stale 1', 'new'), await create('Stale 2', 'new')];
    const fresh = await create('Fresh', 'new');
    const working = await create('Working', 'working');
    await sql`update crm_data.lead set updated_at = now() - interval '8 days' where id = any(${[...stale, working]}::uuid[])`.execute(engine.database.db);

    // Saving the workflow planned its first tick for 02:00 in Shanghai (18:00 UTC).
    const queued = await waitFor(async () => (await engine.jobs.list(systemActor, { task: 'workflow_cron', state: 'queued' }))[0]);
    const nextRun = new Date(queued.run_at);
    expect([nextRun.getUTCHours(), nextRun.getUTCMinutes()]).toEqual([18, 0]);
    expect(nextRun.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    // Rather than wait for 02:00: the same tick's job, due now.
    const now = new Date().toISOString();
    await engine.jobs.enqueue(engine.database.db, { task: 'workflow_cron', key: `test-tick:${now}`, payload: { ...queued.payload, tick: now } });

    const leads = async () => (await server.api('GET', '/api/records/lead?limit=10')).body.data as { id: string; status: string; owner_id: string }[];
    const after = await waitFor(async () => {
      const rows = await leads();
      return stale.every((id) => rows.find((r) => r.id === id)?.status === 'reassigned') && rows;
    });
    const owners = stale.map((id) => after.find((r) => r.id === id)!.owner_id).sort();
    expect(owners).toEqual([users.rep1!.id, users.rep2!.id].sort());
    for (const id of [fresh, working]) expect(after.find((r) => r.id === id)).toMatchObject({ owner_id: server.userId });
    expect(after.find((r) => r.id === fresh)!.status).toBe('new');
  });

  it('a signed contract gets its first payment plan', async () => {
    await save('contract', 'workflows', doc('first_payment_plan'));
    const contract = await server.api('POST', '/api/records/contract', { name: 'Acme 2027', status: 'draft', amount: '90000', start_date: '2027-01-01' });
    expect((await server.api('GET', '/api/records/payment_plan')).body.data).toEqual([]);
    const signed = await server.api('PATCH', `/api/records/contract/${contract.body.id}`, { status: 'signed' });
    expect(signed.status).toBe(200);
    const plans = (await server.api('GET', '/api/records/payment_plan')).body.data;
    expect(plans).toMatchObject([{ contract: contract.body.id, amount: '90000.00', due_date: '2027-01-01' }]);
    // Only when it becomes signed: another edit of the signed contract makes no second plan.
    await server.api('PATCH', `/api/records/contract/${contract.body.id}`, { name: 'Acme 2027 (v2)' });
    expect((await server.api('GET', '/api/records/payment_plan')).body.data).toHaveLength(1);
  });

  it('the owner hears of a contract 30 days before it ends, in the app and by email', async () => {
    await save('contract', 'workflows', doc('renewal_reminder'));
    const in30Days = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const later = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const rep = users.rep2!;
    const ending = await server.api('POST', '/api/records/contract', { name: 'Ending soon', status: 'signed', end_date: in30Days, owner_id: rep.id });
    const notYet = await server.api('POST', '/api/records/contract', { name: 'Not yet', status: 'signed', end_date: later, owner_id: rep.id });
    expect([ending.status, notYet.status]).toEqual([201, 201]);

    const notes = await waitFor(async () => {
      const list = (await as(rep.token, 'GET', '/api/notifications')).body.data as { title: string }[];
      return list.length > 0 && list;
    });
    // The date as the UI writes it (the notification is rendered as values display).
    const endsOn = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${in30Days}T00:00:00Z`));
    expect(notes.map((n) => n.title)).toEqual([`Ending soon ends on ${endsOn}`]);
    const mail = await waitFor(() => mailbox.mails.find((m) => m.subject === 'Ending soon ends in 30 days'));
    expect(mail.to).toMatchObject({ value: [{ address: 'rep2@acme.example' }] });
    expect(mail.text?.trim()).toBe('Time to talk renewal.');
    // The later one waits for its own day (planned, not run).
    const runs = (await server.api('GET', '/api/workflow-runs?workflow=renewal_reminder')).body.data as { record_id: string }[];
    expect(runs.map((r) => r.record_id)).toEqual([ending.body.id]);
  });
});
