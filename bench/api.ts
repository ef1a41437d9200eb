/**
 * `pnpm bench api`: the generated record routes (metadata lookup, validation, bearer-token auth)
 * against hand-written Fastify + pg routes doing the same SQL on the same 100,000-row table, in
 * the same run, driven by autocannon from this process. On PostgreSQL (DATABASE_URL) each server
 * runs in a process of its own with the same pool size; on PGlite the baseline shares the
 * product's process (one connection). Rounds alternate between the two; each figure is the
 * median of the rounds with their spread (min..max). For every route it also prints the
 * in-process CPU µs per call of engine.records.get/list/create/update against the same SQL
 * through plain pg in the product's process (bench/lib/in-process.ts), which machine load moves
 * far less.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { figureOfRounds, report, type Figure } from './lib/results';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// 32 connections: enough queueing that latencies are several ms, where autocannon's whole-ms percentiles still mean something.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const here = dirname(fileURLToPath(import.meta.url));

interface Ready {
  port: number;
  token: string;
  ids: string[];
  kind: string;
  rows: number;
  /** The PostgreSQL database's name (not on PGlite). */
  database?: string;
  actorId: string;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU time per request, in microseconds. */
  cpu: number;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function startServer<T>(script: string, env: NodeJS.ProcessEnv = {}): Promise<{ ready: T; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean), '--import', 'tsx', resolve(here, script)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let buffer = '';
  const ready = await new Promise<T>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      // Only a complete line: the ready message can span several chunks.
      const line = buffer.split('\n').slice(0, -1).find((l) => l.startsWith('{"ready"'));
      if (line) done(JSON.parse(line) as T);
    });
    child.on('exit', (code) => fail(new Error(`bench server exited with ${code}: ${buffer}`)));
  });
  return {
    ready,
    stop: () =>
      new Promise((done) => {
        child.on('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** The scenarios with an in-process figure, and the bench server's name for their operation. */
const IN_PROCESS: Readonly<Record<string, string>> = { 'get by id': 'get', 'list, indexed filter + sort': 'list', create: 'create', update: 'update' };
const IN_PROCESS_CALLS = Number(process.env.BENCH_CALLS ?? 400);

async function inProcessCpu(port: number, op: string): Promise<{ engine: number; plain: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/bench/in-process/${op}?calls=${IN_PROCESS_CALLS}`);
  if (!response.ok) throw new Error(`in-process ${op}: HTTP ${response.status}`);
  return (await response.json()) as { engine: number; plain: number };
}

type RequestSpec = { method: 'GET' | 'POST' | 'PATCH'; path: (i: number) => string; body?: (i: number) => string };

async function serverCpu(port: number): Promise<number> {
  const usage = (await (await fetch(`http://127.0.0.1:${port}/bench/cpu`)).json()) as { user: number; system: number };
  return usage.user + usage.system;
}

async function measure(port: number, headers: Record<string, string>, spec: RequestSpec): Promise<Measured> {
  let i = 0;
  const cpuBefore = await serverCpu(port);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: spec.method,
        setupRequest: (request) => {
          const n = i++;
          return {
            ...request,
            path: spec.path(n),
            headers: { ...headers, ...(spec.body ? { 'content-type': 'application/json' } : {}) },
            ...(spec.body ? { body: spec.body(n) } : {}),
          };
        },
      },
    ],
  });
  const cpu = ((await serverCpu(port)) - cpuBefore) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx, cpu };
}

/** The hand-written server: its own process on PostgreSQL, the product's process on PGlite. */
async function startBaseline(ready: Ready): Promise<{ port: number; stop: () => Promise<void> }> {
  if (!ready.database) return { port: ready.port, stop: async () => {} };
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${ready.database}`;
  const baseline = await startServer<{ port: number }>('lib/api-baseline-server.ts', { BENCH_DATABASE_URL: url.toString(), BENCH_ACTOR_ID: ready.actorId });
  return { port: baseline.ready.port, stop: baseline.stop };
}

export async function run(): Promise<void> {
  console.log('starting the bench server (fills the table first)...');
  const { ready, stop } = await startServer<Ready>('api-server.ts');
  const baseline = await startBaseline(ready).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  console.log(
    `api benchmark on ${ready.kind} (${ready.rows} rows), ${CONNECTIONS} connections, ${SECONDS}s per run, ${ROUNDS} alternating rounds, ` +
      `hand-written server ${ready.database ? 'in its own process' : 'in the same process (PGlite)'}`,
  );
  const auth = { authorization: `Bearer ${ready.token}` };
  const id = (n: number) => ready.ids[n % ready.ids.length]!;
  const filter = (n: number) => encodeURIComponent(JSON.stringify({ '>': [{ var: 'amount' }, 90_000 + (n % 9_000)] }));
  const body = (n: number) => JSON.stringify({ title: `bench ${n}`, amount: `${n % 1000}.25`, stage: n % 2 ? 'won' : 'new', close_date: '2025-03-01' });
  const scenarios: [string, RequestSpec, RequestSpec][] = (
    [
      ['get by id', { method: 'GET', path: (n) => `/api/records/bench_deal/${id(n)}` }, { method: 'GET', path: (n) => `/bench/deal/${id(n)}` }],
      [
        'list, indexed filter + sort',
        { method: 'GET', path: (n) => `/api/records/bench_deal?filter=${filter(n)}&sort=-amount&limit=50` },
        { method: 'GET', path: (n) => `/bench/deal?min=${90_000 + (n % 9_000)}` },
      ],
      ['create', { method: 'POST', path: () => '/api/records/bench_deal', body }, { method: 'POST', path: () => '/bench/deal', body }],
      [
        'update',
        // Every update changes the value (n grows), so neither side can skip a no-op.
        { method: 'PATCH', path: (n) => `/api/records/bench_deal/${id(n)}`, body: (n) => JSON.stringify({ amount: `${n}.75` }) },
        { method: 'PATCH', path: (n) => `/bench/deal/${id(n)}`, body: (n) => JSON.stringify({ amount: `${n}.75` }) },
      ],
    ] as [string, RequestSpec, RequestSpec][]
  ).filter(([name]) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').some((only) => name.startsWith(only)));
  const figures: Figure[] = [];
  try {
    for (const [name, generated, hand] of scenarios) {
      // Warm up both, then alternate rounds so drift (autovacuum, other load) hits both alike.
      await measure(ready.port, auth, generated);
      await measure(baseline.port, {}, hand);
      const ours: Measured[] = [];
      const theirs: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        ours.push(await measure(ready.port, auth, generated));
        theirs.push(await measure(baseline.port, {}, hand));
        console.log(`  ${name}, round ${round + 1}: ${Math.round(ours.at(-1)!.rps)} against ${Math.round(theirs.at(-1)!.rps)} req/s`);
      }
      const failures = [...ours, ...theirs].reduce((n, r) => n + r.errors + r.non2xx, 0);
      if (failures) console.warn(`  ${name}: ${failures} errors or non-2xx responses`);
      const rounds = (key: keyof Measured) => [ours.map((r) => r[key]), theirs.map((r) => r[key])] as const;
      figures.push(figureOfRounds(`${name}: requests/s`, 'req/s', ...rounds('rps'), true));
      figures.push(figureOfRounds(`${name}: p50 latency`, 'ms', ...rounds('p50'), false));
      figures.push(figureOfRounds(`${name}: p99 latency`, 'ms', ...rounds('p99'), false));
      figures.push(figureOfRounds(`${name}: server CPU per request`, 'µs', ...rounds('cpu'), false));
      const op = IN_PROCESS[name];
      if (op) {
        // One call at a time in the product's process: the engine's call against plain pg.
        const cpu: { engine: number; plain: number }[] = [];
        for (let round = 0; round < ROUNDS; round++) cpu.push(await inProcessCpu(ready.port, op));
        figures.push(figureOfRounds(`${name}: in-process CPU per call (engine vs plain pg)`, 'µs', cpu.map((c) => c.engine), cpu.map((c) => c.plain), false));
      }
    }
  } finally {
    await baseline.stop();
    await stop();
  }
  report('api', figures);
}
