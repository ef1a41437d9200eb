import { randomUUID } from 'node:crypto';
import { SYSTEM_USER_ID, systemActor, verifyWebhookSignature, type EnqueuedJob } from '@crm/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServer, type TestServer } from '../support/test-server';
import { startReceiver, waitFor, type Receiver } from './support';

const SECRET = 'whsec_0123456789abcdef';
const BASE_DELAY_MS = 60;

/**
 * Webhooks over real HTTP: the server's worker POSTs to a receiver this test runs on a loopback
 * port. Failures are retried with back-off, then dead-lettered where administrators see them
 * (GET /api/jobs?state=dead) and can retry them; a delivery the receiver acknowledged is never
 * sent again, and every request is signed.
 */
describe('webhook delivery', () => {
  let server: TestServer;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      engine: {
        jobs: { backoff: { baseMs: BASE_DELAY_MS, maxMs: 1000 }, pollIntervalMs: 25, maxAttempts: 3 },
        delivery: { webhook: { secret: SECRET, timeoutMs: 2000 } },
      },
    });
    await server.engine.objects.create(systemActor, { name: 'deal', label: 'Deal', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
    await server.engine.jobs.start();
  });
  afterAll(async () => {
    await stopTestServer(server);
    await receiver?.close();
  });

  /** What a workflow does: a record write and the webhook it causes, in one transaction. */
  async function writeDeal(key: string, options: { fail?: boolean } = {}): Promise<{ job: EnqueuedJob; dealId: string }> {
    const dealId = randomUUID();
    const job = await server.engine.database.db.transaction().execute(async (trx) => {
      await sql`insert into crm_data.deal (id, created_by, updated_by, owner_id, name) values (${dealId}::uuid, ${SYSTEM_USER_ID}::uuid, ${SYSTEM_USER_ID}::uuid, ${SYSTEM_USER_ID}::uuid, ${key})`.execute(trx);
      const enqueued = await server.engine.jobs.enqueue(trx, { task: 'webhook', payload: { url: receiver.url, body: { event: 'deal.created', id: dealId, name: key } }, key });
      if (options.fail) throw new Error('a later step of the write failed');
      return enqueued;
    });
    return { job, dealId };
  }

  const getJob = async (id: string) => (await server.api('GET', `/api/jobs/${id}`)).body;

  it('retries a failing receiver with back-off, dead-letters the delivery, and delivers it once when an administrator retries it', async () => {
    receiver.mode = 'error';
    const key = 'deal:1:created';
    const { job, dealId } = await writeDeal(key);
    const dead = await waitFor(async () => ((await getJob(job.id)).state === 'dead' ? getJob(job.id) : undefined), 15_000, 'dead letter');
    expect(dead).toMatchObject({ task: 'webhook', key, attempts: 3, max_attempts: 3, output: null });
    expect(dead.last_error).toContain('answered HTTP 500: receiver is broken today');

    const attempts = receiver.receipts.filter((r) => r.delivery === key);
    expect(attempts.map((r) => r.attempt)).toEqual([1, 2, 3]);
    // Exponential back-off: 60 ms, then 120 ms (less a little for clock granularity).
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(BASE_DELAY_MS - 5);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2 * BASE_DELAY_MS - 5);

    const deadLetters = await server.api('GET', '/api/jobs?state=dead&task=webhook');
    expect(deadLetters.status).toBe(200);
    expect(deadLetters.body.data.map((j: { id: string }) => j.id)).toContain(job.id);
    expect(deadLetters.body.data.every((j: { state: string }) => j.state === 'dead')).toBe(true);

    receiver.mode = 'ok';
    const retried = await server.api('POST', `/api/jobs/${job.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: job.id, state: 'queued', max_attempts: 4 });
    await waitFor(() => receiver.delivered(key) === 1, 10_000, 'delivery after retry');
    const done = await waitFor(async () => ((await getJob(job.id)).state === 'done' ? getJob(job.id) : undefined), 10_000, 'job done');
    expect(done).toMatchObject({ attempts: 4, last_error: null, output: { status: 200, delivery_id: key } });
    // Acknowledged once, and never sent again.
    await new Promise((r) => setTimeout(r, 4 * BASE_DELAY_MS + 200));
    expect(receiver.delivered(key)).toBe(1);
    expect(receiver.receipts.filter((r) => r.delivery === key)).toHaveLength(4);
    const again = await server.api('POST', `/api/jobs/${job.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('job_not_retryable');

    // Every attempt carried the same body, signed with the secret; the receiver can check it.
    for (const receipt of receiver.receipts.filter((r) => r.delivery === key)) {
      expect(verifyWebhookSignature(SECRET, receipt.raw, receipt.signature)).toBe(true);
      expect(verifyWebhookSignature('another secret', receipt.raw, receipt.signature)).toBe(false);
      expect(verifyWebhookSignature(SECRET, receipt.raw.replace('created', 'deleted'), receipt.signature)).toBe(false);
      expect(JSON.parse(receipt.raw)).toEqual({ event: 'deal.created', id: dealId, name: key });
      expect(receipt.headers['content-type']).toBe('application/json');
      expect(receipt.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    }
  });

  it('delivers once to a receiver that was down and came back', async () => {
    receiver.mode = 'reset';
    const key = 'deal:2:created';
    const { job } = await writeDeal(key);
    await waitFor(() => receiver.receipts.some((r) => r.delivery === key), 10_000, 'first attempt');
    receiver.mode = 'ok';
    await waitFor(() => receiver.delivered(key) === 1, 10_000, 'delivery');
    const done = await waitFor(async () => ((await getJob(job.id)).state === 'done' ? getJob(job.id) : undefined));
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.delivered(key)).toBe(1);
  });

  it('sends nothing for a write that rolled back, and once for an event enqueued twice', async () => {
    receiver.mode = 'ok';
    await expect(writeDeal('deal:3:created', { fail: true })).rejects.toThrow('a later step of the write failed');
    const { job } = await writeDeal('deal:4:created');
    const duplicate = await server.engine.jobs.enqueue(server.engine.database.db, { task: 'webhook', payload: { url: receiver.url, body: {} }, key: 'deal:4:created' });
    expect(duplicate).toEqual({ id: job.id, duplicate: true });
    await waitFor(() => receiver.delivered('deal:4:created') === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.delivered('deal:4:created')).toBe(1);
    expect(receiver.receipts.some((r) => r.delivery === 'deal:3:created')).toBe(false);
    const listed = await server.api('GET', '/api/jobs?task=webhook&limit=500');
    expect(listed.body.data.some((j: { key: string }) => j.key === 'deal:3:created')).toBe(false);
    const deals = await sql<{ name: string }>`select name from crm_data.deal where name = 'deal:3:created'`.execute(server.engine.database.db);
    expect(deals.rows).toEqual([]);
  });
});
