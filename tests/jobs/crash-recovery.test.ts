import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createEngine, SYSTEM_USER_ID, systemActor } from '@crm/engine';
import { createTestDatabase, createTestDataDir } from '@crm/engine/testing';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { killServer, spawnServer, tokenFor, type ServerProcess } from '../support/spawn-server';
import { startReceiver, waitFor } from './support';

const ADMIN = { email: 'ops@example.com', password: 'correct horse battery staple' };
const SECRET = 'whsec_crash_test';

/**
 * The outbox promise across a crash: a write commits with its webhook, the server process that
 * would deliver it is killed (SIGKILL: no shutdown, nothing flushed), and a new server process
 * delivers it, once.
 */
describe('job delivery across a crash', () => {
  it('delivers a webhook committed before the server was killed exactly once, after a restart', async (context) => {
    if (!process.env.DATABASE_URL) {
      context.skip('PGlite is one process: a second process on the same database (the test enqueueing while a server runs) needs PostgreSQL (DATABASE_URL)');
      return;
    }
    const database = await createTestDatabase();
    const receiver = await startReceiver();
    // The test's own engine enqueues as a workflow would; its worker stays stopped.
    const engine = await createEngine({ ...database.options, delivery: { webhook: { secret: SECRET } } });
    const env = { DATABASE_URL: database.options.databaseUrl!, CRM_WEBHOOK_SECRET: SECRET, CRM_JOBS_POLL_MS: '50', CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password };
    const first = await spawnServer(env);
    let second: ServerProcess | undefined;
    try {
      await engine.objects.create(systemActor, { name: 'deal', label: 'Deal', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
      await waitFor(() => first.output().includes('background job worker started'), 20_000, 'the first worker');
      // The first server's worker delivers what is due...
      await engine.jobs.enqueue(engine.database.db, { task: 'webhook', payload: { url: receiver.url, body: { warmup: true } }, key: 'warmup' });
      await waitFor(() => receiver.delivered('warmup') === 1, 20_000, 'the warm-up delivery');

      // ...and this one commits with its record, due a moment later, when the process is gone.
      const dealId = randomUUID();
      const job = await engine.database.db.transaction().execute(async (trx) => {
        await sql`insert into crm_data.deal (id, created_by, updated_by, owner_id, name) values (${dealId}::uuid, ${SYSTEM_USER_ID}::uuid, ${SYSTEM_USER_ID}::uuid, ${SYSTEM_USER_ID}::uuid, 'Crash')`.execute(trx);
        return engine.jobs.enqueue(trx, { task: 'webhook', payload: { url: receiver.url, body: { event: 'deal.created', id: dealId } }, key: 'deal:crash', runAt: new Date(Date.now() + 1500) });
      });
      await killServer(first);
      expect(receiver.receipts.filter((r) => r.delivery === 'deal:crash')).toHaveLength(0);
      expect((await engine.jobs.get(systemActor, job.id)).state).toBe('queued');

      second = await spawnServer(env);
      await waitFor(() => receiver.delivered('deal:crash') === 1, 20_000, 'delivery by the restarted server');
      const token = await tokenFor(second, ADMIN);
      const done = await waitFor(async () => {
        const response = await fetch(`${second!.base}/api/jobs/${job.id}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { state: string; output: { status: number } };
        return body.state === 'done' ? body : undefined;
      }, 10_000, 'the job done');
      expect(done.output.status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.receipts.filter((r) => r.delivery === 'deal:crash')).toHaveLength(1);
      expect(JSON.parse(receiver.receipts.find((r) => r.delivery === 'deal:crash')!.raw)).toEqual({ event: 'deal.created', id: dealId });
    } finally {
      await killServer(first);
      if (second) expect(await second.stop()).toBe(0);
      await engine.close();
      await receiver.close();
      await database.drop();
    }
  }, 90_000);

  it('on PGlite: a webhook of a write committed before the server was killed is delivered once by the restarted server', async (context) => {
    if (process.env.DATABASE_URL) {
      context.skip('the PostgreSQL variant is the test above');
      return;
    }
    const dataDir = await createTestDataDir('crm-crash-');
    const receiver = await startReceiver();
    // The first attempt is refused, so the delivery is still due when the process dies.
    receiver.mode = 'error';
    const env = { CRM_DATA_DIR: dataDir, CRM_WEBHOOK_SECRET: SECRET, CRM_JOBS_POLL_MS: '50', CRM_JOBS_RETRY_BASE_MS: '1500', CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password };
    const first = await spawnServer(env);
    let second: ServerProcess | undefined;
    try {
      const token = await tokenFor(first, ADMIN);
      const api = (server: ServerProcess, method: string, path: string, body?: unknown) =>
        fetch(`${server.base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      expect((await api(first, 'POST', '/api/meta/objects', { name: 'deal', label: 'Deal', fields: [{ name: 'name', type: 'text', label: 'Name' }] })).status).toBe(201);
      const workflow = await api(first, 'POST', '/api/meta/objects/deal/workflows', {
        name: 'tell_erp',
        trigger: { type: 'record', events: ['created'] },
        actions: [{ name: 'erp', type: 'webhook', url: receiver.url }],
      });
      expect(workflow.status).toBe(201);
      const created = await api(first, 'POST', '/api/records/deal', { name: 'Crash' });
      expect(created.status).toBe(201);
      const deal = (await created.json()) as { id: string };
      await waitFor(() => receiver.receipts.some((r) => r.status === 500), 20_000, 'the first, refused attempt');
      await killServer(first);
      const delivery = receiver.receipts[0]!.delivery;

      receiver.mode = 'ok';
      second = await spawnServer(env);
      await waitFor(() => receiver.delivered(delivery) === 1, 20_000, 'delivery by the restarted server');
      await new Promise((r) => setTimeout(r, 1000));
      expect(receiver.delivered(delivery)).toBe(1);
      expect(JSON.parse(receiver.receipts.find((r) => r.status === 200)!.raw)).toMatchObject({ workflow: 'tell_erp', record: { id: deal.id, name: 'Crash' } });
      // The write itself survived the crash.
      expect((await api(second, 'GET', `/api/records/deal/${deal.id}`)).status).toBe(200);
    } finally {
      await killServer(first);
      if (second) expect(await second.stop()).toBe(0);
      await receiver.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
