import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { createEngine, type Engine } from '../engine';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { expectCrmError } from '../testing/expect-error';
import { waitFor } from '../testing/wait-for';
import { retryDelayMs } from './backoff';
import type { Job, RunningJob } from './types';

describe('job queue', () => {
  let database: TestDatabase;
  let engine: Engine;
  const runs: (RunningJob & { at: number })[] = [];
  /** Per key: how many attempts fail before one succeeds. */
  const failuresBeforeSuccess = new Map<string, number>();
  let releaseSlow: (() => void) | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    engine = await createEngine({ ...database.options, jobs: { backoff: { baseMs: 40, maxMs: 160 }, pollIntervalMs: 20, maxAttempts: 3 } });
    await engine.jobs.register('count', async (job) => {
      runs.push({ ...job, at: Date.now() });
      const failures = failuresBeforeSuccess.get(job.key ?? '') ?? 0;
      if (job.attempt <= failures) throw new Error(`refused attempt ${job.attempt}`);
      return { attempt: job.attempt };
    });
    await engine.jobs.register('slow', async () => {
      await new Promise<void>((resolve) => (releaseSlow = resolve));
      return { finished: true };
    });
    await engine.jobs.register('stuck', () => new Promise(() => {}), { timeoutMs: 50 });
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
  });

  const runsOf = (key: string) => runs.filter((run) => run.key === key);
  const job = (id: string) => engine.jobs.get(systemActor, id);

  it(`uses ${process.env.DATABASE_URL ? 'pg-boss on PostgreSQL' : 'the in-process queue on PGlite'}`, () => {
    expect(engine.jobs.implementation).toBe(process.env.DATABASE_URL ? 'pg-boss' : 'in-process');
  });

  it('never runs a job whose transaction rolled back, and runs a committed one exactly once', async () => {
    await engine.jobs.start();
    let enqueued = '';
    await expect(
      engine.database.db.transaction().execute(async (trx) => {
        enqueued = (await engine.jobs.enqueue(trx, { task: 'count', payload: { n: 1 }, key: 'rolled-back' })).id;
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await expectCrmError(job(enqueued), 'job_not_found');

    const committed = await engine.database.db.transaction().execute((trx) => engine.jobs.enqueue(trx, { task: 'count', payload: { n: 2 }, key: 'committed' }));
    expect(committed.duplicate).toBe(false);
    const done = await waitFor(async () => ((await job(committed.id)).state === 'done' ? job(committed.id) : undefined));
    expect(done).toMatchObject({ task: 'count', key: 'committed', attempts: 1, output: { attempt: 1 }, last_error: null, payload: { n: 2 } });
    await new Promise((r) => setTimeout(r, 150));
    expect(runsOf('committed')).toHaveLength(1);
    expect(runsOf('rolled-back')).toHaveLength(0);
    // The rolled-back key is free: it never existed.
    const again = await engine.jobs.enqueue(engine.database.db, { task: 'count', payload: {}, key: 'rolled-back' });
    expect(again.duplicate).toBe(false);
    await waitFor(async () => (await job(again.id)).state === 'done');
  });

  it('adds no second job for a key it already has, and tells the caller', async () => {
    await engine.jobs.stop();
    const first = await engine.jobs.enqueue(engine.database.db, { task: 'count', payload: { n: 1 }, key: 'once-only' });
    const second = await engine.database.db.transaction().execute((trx) => engine.jobs.enqueue(trx, { task: 'count', payload: { n: 2 }, key: 'once-only' }));
    expect(second).toEqual({ id: first.id, duplicate: true });
    await engine.jobs.start();
    await waitFor(async () => (await job(first.id)).state === 'done');
    await new Promise((r) => setTimeout(r, 100));
    expect(runsOf('once-only').map((r) => r.payload)).toEqual([{ n: 1 }]);
  });

  it('retries with exponential back-off, dead-letters after the last attempt, and an administrator retry runs it again', async () => {
    failuresBeforeSuccess.set('flaky', 3);
    const { id } = await engine.jobs.enqueue(engine.database.db, { task: 'count', payload: {}, key: 'flaky' });
    const dead = await waitFor(async () => ((await job(id)).state === 'dead' ? job(id) : undefined));
    expect(dead).toMatchObject({ attempts: 3, max_attempts: 3, last_error: 'refused attempt 3', output: null });
    const started = runsOf('flaky').map((run) => run.attempt);
    expect(started).toEqual([1, 2, 3]);
    expect((await engine.jobs.list(systemActor, { state: 'dead', task: 'count' })).map((j) => j.id)).toContain(id);

    const retried = await engine.jobs.retry(systemActor, id);
    expect(retried.state).toBe('queued');
    expect(retried.max_attempts).toBe(4);
    const done = await waitFor(async () => ((await job(id)).state === 'done' ? job(id) : undefined));
    expect(done).toMatchObject({ attempts: 4, output: { attempt: 4 }, last_error: null });
    await expectCrmError(engine.jobs.retry(systemActor, id), 'job_not_retryable');
  });

  it('waits longer after each failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, { baseMs: 40, maxMs: 160 }))).toEqual([40, 80, 160, 160, 160]);
    expect(retryDelayMs(1)).toBe(2000);
    expect(retryDelayMs(100)).toBe(60 * 60 * 1000);
  });

  it('schedules the retry after the back-off delay', async () => {
    failuresBeforeSuccess.set('backoff', 2);
    const { id } = await engine.jobs.enqueue(engine.database.db, { task: 'count', payload: {}, key: 'backoff' });
    await waitFor(async () => (await job(id)).state === 'done');
    const [first, second, third] = runsOf('backoff');
    expect([first, second, third].map((run) => run!.attempt)).toEqual([1, 2, 3]);
    // 40 ms after the first failure, 80 ms after the second (a few ms of clock granularity aside).
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(35);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(75);
  });

  it('fails an attempt that runs past its time limit', async () => {
    const { id } = await engine.jobs.enqueue(engine.database.db, { task: 'stuck', payload: {}, maxAttempts: 1 });
    const dead = await waitFor(async () => ((await job(id)).state === 'dead' ? job(id) : undefined));
    expect(dead.last_error).toBe('timed out after 50 ms');
  });

  it('stops gracefully: the running job finishes, nothing new is claimed', async () => {
    const slow = await engine.jobs.enqueue(engine.database.db, { task: 'slow', payload: {} });
    await waitFor(async () => (await job(slow.id)).state === 'running');
    let stopped = false;
    const stopping = engine.jobs.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    const later = await engine.jobs.enqueue(engine.database.db, { task: 'count', payload: {}, key: 'after-stop' });
    releaseSlow!();
    await stopping;
    expect((await job(slow.id)).state).toBe('done');
    await new Promise((r) => setTimeout(r, 100));
    expect((await job(later.id)).state).toBe('queued');
    expect(engine.jobs.running).toBe(false);
    await engine.jobs.start();
    await waitFor(async () => (await job(later.id)).state === 'done');
  });

  it('refuses what it cannot run, naming the problem, and stores nothing', async () => {
    const refused = await expectCrmError(engine.jobs.enqueue(engine.database.db, { task: 'fly', payload: {} }), 'validation_failed');
    expect(refused.fields.map((f) => f.path)).toEqual(['task']);
    const webhook = await expectCrmError(
      engine.jobs.enqueue(engine.database.db, { task: 'webhook', payload: { url: 'ftp://example.com', colour: 'red' }, key: 'bad-webhook' }),
      'validation_failed',
    );
    // A missing secret is a setting, not a problem of the job: such a job is taken, and fails when it runs (below).
    expect(webhook.fields.map((f) => f.path).sort()).toEqual(['payload/body', 'payload/colour', 'payload/url']);
    const email = await expectCrmError(engine.jobs.enqueue(engine.database.db, { task: 'email', payload: { to: 'nobody', subject: 'Hi {{#name}}', record: {} } }), 'validation_failed');
    expect(email.fields.map((f) => f.path).sort()).toEqual(['payload/subject', 'payload/text', 'payload/to']);
    await expectCrmError(engine.jobs.enqueue(engine.database.db, { task: 'count', payload: {}, key: 'a\nb' }), 'validation_failed');
    await expectCrmError(engine.jobs.enqueue(engine.database.db, { task: 'count', payload: {}, maxAttempts: 0 }), 'validation_failed');
    const keys = await sql<{ n: number }>`select count(*)::int as n from crm_meta.job_keys where key = 'bad-webhook'`.execute(engine.database.db);
    expect(keys.rows[0]!.n).toBe(0);
  });

  it('on PGlite, retries a job the previous process left running when the worker starts again', async (context) => {
    if (engine.jobs.implementation !== 'in-process') {
      context.skip('pg-boss retries jobs whose worker vanished from its maintenance, once their time limit has passed');
      return;
    }
    await engine.jobs.stop();
    const { id } = await engine.jobs.enqueue(engine.database.db, { task: 'count', payload: {}, key: 'interrupted' });
    // What a process killed in the middle of an attempt leaves behind.
    await sql`update crm_meta.jobs set state = 'running', attempts = 1, started_at = now() where id = ${id}::uuid`.execute(engine.database.db);
    await engine.jobs.start();
    const done = await waitFor(async () => ((await job(id)).state === 'done' ? job(id) : undefined));
    expect(done.attempts).toBe(2);
    expect(runsOf('interrupted').map((run) => run.attempt)).toEqual([2]);
  });

  it('wakes an idle worker when the enqueueing transaction commits, without waiting for its poll', async () => {
    const other = await createTestDatabase();
    const sleepy = await createEngine({ ...other.options, jobs: { pollIntervalMs: 60_000 } });
    try {
      const ran: number[] = [];
      await sleepy.jobs.register('ping', async () => void ran.push(Date.now()));
      await sleepy.jobs.start();
      await new Promise((r) => setTimeout(r, 100));
      const committed = Date.now();
      await sleepy.database.db.transaction().execute((trx) => sleepy.jobs.enqueue(trx, { task: 'ping', payload: {} }));
      await waitFor(async () => ran.length === 1, 5000);
      expect(ran[0]! - committed).toBeLessThan(2000);
    } finally {
      await sleepy.close();
      await other.drop();
    }
  });

  it('dead-letters email while no SMTP server is configured, and webhooks while no secret signs them, saying so', async () => {
    const { id } = await engine.jobs.enqueue(engine.database.db, { task: 'email', payload: { to: 'a@example.com', subject: 'Hi', text: 'x' }, maxAttempts: 1 });
    const dead = await waitFor(async () => ((await job(id)).state === 'dead' ? job(id) : undefined));
    expect(dead.last_error).toBe('email is not configured: set CRM_SMTP_URL');
    const hook = await engine.jobs.enqueue(engine.database.db, { task: 'webhook', payload: { url: 'http://127.0.0.1:9/hook', body: {} }, maxAttempts: 1 });
    const unsigned = await waitFor(async () => ((await job(hook.id)).state === 'dead' ? job(hook.id) : undefined));
    expect(unsigned.last_error).toBe('not sent: no webhook secret is configured; set CRM_WEBHOOK_SECRET and restart the server (or give the job a secret)');
  });

  it('shows jobs to administrators only, without their secrets', async () => {
    const user = await engine.users.create(systemActor, { name: 'Rep', email: 'rep@example.com' });
    await expectCrmError(engine.jobs.list(userActor(user.id)), 'forbidden');
    await expectCrmError(engine.jobs.get(userActor(user.id), '00000000-0000-0000-0000-000000000000'), 'forbidden');
    await expectCrmError(engine.jobs.retry(userActor(user.id), '00000000-0000-0000-0000-000000000000'), 'forbidden');
    await expectCrmError(job('00000000-0000-0000-0000-000000000000'), 'job_not_found');
    await expectCrmError(job('not-a-uuid'), 'job_not_found');
    await expectCrmError(engine.jobs.list(systemActor, { state: 'lost' as never }), 'validation_failed');
    await expectCrmError(engine.jobs.list(systemActor, { limit: 501 }), 'validation_failed');

    await engine.jobs.stop();
    const { id } = await engine.jobs.enqueue(engine.database.db, {
      task: 'webhook',
      payload: { url: 'http://127.0.0.1:9/hook', body: { a: 1 }, secret: 'very secret' },
      runAt: new Date(Date.now() + 60_000),
    });
    const shown = await job(id);
    expect(shown.payload).toEqual({ url: 'http://127.0.0.1:9/hook', body: { a: 1 }, secret: '[redacted]' });
    expect(JSON.stringify(await engine.jobs.list(systemActor, { task: 'webhook' }))).not.toContain('very secret');
    const queued = await engine.jobs.list(systemActor, { state: 'queued', limit: 500 });
    expect(queued.map((j: Job) => j.id)).toContain(id);
    expect(queued.every((j) => j.state === 'queued')).toBe(true);
    expect(Date.parse(shown.run_at)).toBeGreaterThan(Date.now() + 50_000);
    await engine.jobs.start();
  });
});
