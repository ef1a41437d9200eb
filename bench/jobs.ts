/**
 * `pnpm bench jobs`: how fast the job queue delivers webhooks. N webhooks (default 2,000) are
 * enqueued with the worker stopped, then the worker is started and timed until the receiver has
 * acknowledged all of them and every job is recorded done. The baseline, in the same run, sends
 * the same signed POSTs to the same receiver straight from fetch at the same concurrency: the
 * difference is what the queue costs (claiming, recording, retries machinery). Uses
 * DATABASE_URL when set (pg-boss on PostgreSQL), otherwise PGlite (the in-process queue).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, signWebhookBody, type Engine } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { figure, report, type Figure } from './lib/results';
import { median } from './lib/timing';

const N = Number(process.env.BENCH_JOBS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 100;
const SECRET = 'bench-secret';

interface Receiver {
  readonly url: string;
  /** Resolves when `count` more requests have been answered. */
  expect(count: number): Promise<void>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  let seen = 0;
  let waiting: { target: number; done: () => void } | undefined;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      seen += 1;
      if (waiting && seen >= waiting.target) waiting.done();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    expect(count) {
      const target = seen + count;
      return new Promise<void>((done) => (waiting = { target, done }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

const bodyOf = (round: number, i: number) => ({ event: 'deal.updated', round, id: i, amount: '1200.50', stage: 'won' });

/** The baseline: the same signed POSTs, `CONCURRENCY` at a time, straight from fetch. */
async function directRate(receiver: Receiver, round: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < N) {
      const i = next++;
      const raw = JSON.stringify(bodyOf(round, i));
      const response = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-CRM-Signature': signWebhookBody(SECRET, raw), 'X-CRM-Delivery': `direct:${round}:${i}` },
        body: raw,
        signal: AbortSignal.timeout(10_000),
      });
      await response.text();
      if (!response.ok) throw new Error(`receiver answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  return N / ((performance.now() - started) / 1000);
}

async function enqueueAll(engine: Engine, receiver: Receiver, round: number): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < N; from += BATCH) {
    await engine.database.db.transaction().execute(async (trx) => {
      for (let i = from; i < Math.min(from + BATCH, N); i++) {
        await engine.jobs.enqueue(trx, { task: 'webhook', payload: { url: receiver.url, body: bodyOf(round, i) }, key: `queued:${round}:${i}` });
      }
    });
  }
  return N / ((performance.now() - started) / 1000);
}

/** Ours: from starting the worker until all N are acknowledged and recorded done (stop() waits for that). */
async function queuedRate(engine: Engine, receiver: Receiver): Promise<number> {
  const received = receiver.expect(N);
  const started = performance.now();
  await engine.jobs.start();
  await received;
  await engine.jobs.stop();
  return N / ((performance.now() - started) / 1000);
}

export async function run(): Promise<void> {
  const database = await createTestDatabase();
  // The production pool size (the test harness's databases default to 5 connections).
  const engine = await createEngine({ ...database.options, poolSize: 10, jobs: { concurrency: CONCURRENCY, pollIntervalMs: 200 }, delivery: { webhook: { secret: SECRET } } });
  const receiver = await startReceiver();
  const kind = database.kind;
  console.log(`jobs benchmark on ${kind} (${engine.jobs.implementation})${kind === 'pglite' ? ' (set DATABASE_URL for PostgreSQL)' : ''}: ${N.toLocaleString('en')} webhooks, ${CONCURRENCY} in flight, ${ROUNDS} rounds`);
  const direct: number[] = [];
  const queued: number[] = [];
  const enqueued: number[] = [];
  try {
    // One unmeasured round of each first: connections opened, code compiled.
    await enqueueAll(engine, receiver, -1);
    await queuedRate(engine, receiver);
    await directRate(receiver, -1);
    for (let round = 0; round < ROUNDS; round++) {
      enqueued.push(await enqueueAll(engine, receiver, round));
      // Alternate which goes first, so neither always runs on a warmer process.
      if (round % 2 === 0) {
        direct.push(await directRate(receiver, round));
        queued.push(await queuedRate(engine, receiver));
      } else {
        queued.push(await queuedRate(engine, receiver));
        direct.push(await directRate(receiver, round));
      }
      console.log(`  round ${round + 1}: queued ${queued.at(-1)!.toFixed(0)}/s, direct fetch ${direct.at(-1)!.toFixed(0)}/s, enqueue ${enqueued.at(-1)!.toFixed(0)}/s`);
    }
    const figures: Figure[] = [
      figure(`webhook delivery through the queue, ${N} jobs, ${CONCURRENCY} in flight (vs the same POSTs with fetch)`, median(queued), 'deliveries/s', median(direct), true),
      figure(`enqueue, ${BATCH} jobs per transaction`, median(enqueued), 'jobs/s', null, true),
    ];
    report('jobs', figures);
  } finally {
    await engine.close();
    await receiver.close();
    await database.drop();
  }
}
