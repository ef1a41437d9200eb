/**
 * `pnpm bench start`: how long the product takes to be ready and how much memory it holds, on the
 * embedded database: a first start (new data folder: initdb, migrations, the demo template, the
 * administrator) and a restart on that folder, against the floor any PGlite-backed Fastify server
 * pays (a plain script opening PGlite on the same kind of folder and listening). With
 * DATABASE_URL, also the server's memory on PostgreSQL. Medians of BENCH_ROUNDS (3) rounds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PGLITE_SHARED_BUFFERS } from '@crm/engine';
import { figure, report, type Figure } from './lib/results';
import { median } from './lib/timing';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Started {
  readonly seconds: number;
  readonly rssMiB: number;
}

function residentMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** Starts a command, waits until its /readyz (or /) answers, reads its memory, stops it with SIGTERM. */
async function startAndStop(args: string[], env: Record<string, string>, port: number, path = '/readyz'): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited: ${stderr}`);
    const ready = await fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  // Memory once the start-up work is over and a few requests were served.
  for (let i = 0; i < 20; i++) await fetch(`http://127.0.0.1:${port}${path}`);
  const rssMiB = residentMiB(child.pid!);
  child.kill('SIGTERM');
  await exited;
  return { seconds, rssMiB };
}

/** The floor: PGlite opened on a data folder (created if new) with the product's shared_buffers, and Fastify listening. */
const FLOOR = `
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
const pglite = await PGlite.create(process.env.CRM_DATA_DIR, { postgresqlconf: ['shared_buffers = ${DEFAULT_PGLITE_SHARED_BUFFERS}'] });
const app = Fastify();
app.get('/readyz', async () => (await pglite.query('select 1 as ok')).rows[0]);
process.on('SIGTERM', async () => { await app.close(); await pglite.close(); process.exit(0); });
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

export async function run(): Promise<void> {
  const floorScript = join(root, 'bench', `.bench-floor-${process.pid}.mjs`);
  writeFileSync(floorScript, FLOOR);
  const server = ['--import', 'tsx', 'server/src/main.ts'];
  const env = { CRM_DEMO: '1', CRM_ADMIN_EMAIL: 'bench@example.com', CRM_ADMIN_PASSWORD: 'bench password 123', LOG_LEVEL: 'warn', DATABASE_URL: '' };
  const samples = { first: [] as Started[], restart: [] as Started[], floorFirst: [] as Started[], floorRestart: [] as Started[] };
  try {
    for (let round = 0; round < rounds; round++) {
      const ours = join(mkdtempSync(join(tmpdir(), 'crm-bench-start-')), 'data');
      const floor = join(mkdtempSync(join(tmpdir(), 'crm-bench-floor-')), 'data');
      try {
        samples.first.push(await startAndStop(server, { ...env, CRM_DATA_DIR: ours }, 3190));
        samples.floorFirst.push(await startAndStop([floorScript], { CRM_DATA_DIR: floor }, 3191));
        samples.restart.push(await startAndStop(server, { ...env, CRM_DATA_DIR: ours }, 3190));
        samples.floorRestart.push(await startAndStop([floorScript], { CRM_DATA_DIR: floor }, 3191));
      } finally {
        rmSync(dirname(ours), { recursive: true, force: true });
        rmSync(dirname(floor), { recursive: true, force: true });
      }
      console.log(`round ${round + 1}: first start ${samples.first.at(-1)!.seconds.toFixed(2)} s, restart ${samples.restart.at(-1)!.seconds.toFixed(2)} s`);
    }
    const m = (list: Started[], key: keyof Started) => median(list.map((s) => s[key]));
    const figures: Figure[] = [
      figure('first start to ready (PGlite, demo template)', m(samples.first, 'seconds'), 's', m(samples.floorFirst, 'seconds'), false),
      figure('restart to ready (PGlite, existing data)', m(samples.restart, 'seconds'), 's', m(samples.floorRestart, 'seconds'), false),
      figure('memory after first start (PGlite)', m(samples.first, 'rssMiB'), 'MiB', m(samples.floorFirst, 'rssMiB'), false),
      figure('memory after restart (PGlite)', m(samples.restart, 'rssMiB'), 'MiB', m(samples.floorRestart, 'rssMiB'), false),
    ];
    if (process.env.DATABASE_URL) {
      const onPostgres = await startAndStop(server, { ...env, DATABASE_URL: process.env.DATABASE_URL, CRM_DEMO: '0' }, 3192);
      figures.push(figure('memory after start (PostgreSQL)', onPostgres.rssMiB, 'MiB', null, false));
      figures.push(figure('start to ready (PostgreSQL)', onPostgres.seconds, 's', null, false));
    }
    report('start', figures);
  } finally {
    rmSync(floorScript, { force: true });
  }
}
