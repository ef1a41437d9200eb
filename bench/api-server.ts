/**
 * The server side of `pnpm bench api`, run as its own process: fills the bench table and serves
 * the product's app (generated routes, with authentication). On PostgreSQL the hand-written
 * baseline runs in a process of its own (lib/api-baseline-server.ts) on the same database; on
 * PGlite (one connection in one process) its routes are added here. Prints one JSON line when ready.
 */
import type { AddressInfo } from 'node:net';
import { createEngine, systemActor, userActor } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { buildApp } from '@crm/server';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { BENCH_POOL_SIZE, HAND_WRITTEN_READS, HAND_WRITTEN_WRITES, handWrittenRoutes, type Row, type RunSql } from './lib/hand-written';
import { compareCpu, type CpuOperation } from './lib/in-process';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const OBJECT = 'bench_deal';

const database = await createTestDatabase();
// The same pool size as the hand-written server's (the test database's default is smaller).
const engine = await createEngine({ ...database.options, ...(database.options.databaseUrl ? { poolSize: BENCH_POOL_SIZE } : {}) });
const db = engine.database.db as unknown as Kysely<unknown>;
await engine.objects.create(systemActor, {
  name: OBJECT,
  label: 'Deal',
  title_field: 'title',
  fields: [
    { name: 'title', type: 'text', label: 'Title', required: true },
    { name: 'amount', type: 'currency', label: 'Amount', indexed: true },
    { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New' }, { value: 'won', label: 'Won' }] },
    { name: 'close_date', type: 'date', label: 'Close' },
  ],
});
const admin = await engine.users.create(systemActor, { name: 'Bench', email: 'bench@example.com', roles: ['administrator'] });
const { token } = await engine.auth.createToken(userActor(admin.id), { name: 'bench' });
for (let done = 0; done < ROWS; done += 50_000) {
  const n = Math.min(50_000, ROWS - done);
  await sql`
    insert into crm_data.bench_deal (id, created_by, updated_by, owner_id, title, amount, stage, close_date)
    select gen_random_uuid(), ${admin.id}::uuid, ${admin.id}::uuid, ${admin.id}::uuid, 'deal ' || g, (g % 100000) + 0.5,
           case when g % 2 = 0 then 'new' else 'won' end, date '2024-01-01' + (g % 365)
    from generate_series(${done + 1}::int, ${done + n}::int) g`.execute(db);
}
await sql`analyze crm_data.bench_deal`.execute(db);
const ids = (await sql<{ id: string }>`select id from crm_data.bench_deal order by random() limit 1000`.execute(db)).rows.map((r) => r.id);

const app = await buildApp(engine, { auth: { secureCookies: false } });

// Plain SQL from this process: through a pg pool of its own on PostgreSQL; on PGlite (one
// connection in this process) only through the engine's handle.
const pool = database.options.databaseUrl ? new pg.Pool({ connectionString: database.options.databaseUrl, max: BENCH_POOL_SIZE }) : undefined;
const runPlain: RunSql = pool
  ? async (text, values) => (await pool.query(text, values)).rows as Row[]
  : async (text, values) => {
      const parts = text.split(/\$(\d+)/);
      const fragments = parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1]}`));
      return (await sql<Row>`${sql.join(fragments, sql``)}`.execute(db)).rows;
    };

// The in-process figure: the engine's calls against the same statements in plain pg, CPU µs per call.
const actor = userActor(admin.id);
const minAmount = (n: number) => 90_000 + (n % 9_000);
const dealInput = (n: number) => ({ title: `in-process ${n}`, amount: `${n % 1000}.25`, stage: n % 2 ? 'won' : 'new', close_date: '2025-03-01' });
// Every update sets a new amount (blocks of calls restart their numbering), so neither side skips a no-op.
let updates = 0;
const inProcess: Record<string, [CpuOperation, CpuOperation]> = {
  get: [(n) => engine.records.get(actor, OBJECT, ids[n % ids.length]!), (n) => runPlain(HAND_WRITTEN_READS.get, [ids[n % ids.length]!])],
  list: [
    (n) => engine.records.list(actor, OBJECT, { filter: { '>': [{ var: 'amount' }, minAmount(n)] }, sort: '-amount', limit: 50 }),
    (n) => runPlain(HAND_WRITTEN_READS.list, [minAmount(n)]),
  ],
  create: [
    (n) => engine.records.create(actor, OBJECT, dealInput(n)),
    (n) => {
      const input = dealInput(n);
      return runPlain(HAND_WRITTEN_WRITES.create, [admin.id, input.title, input.amount, input.stage, input.close_date]);
    },
  ],
  update: [
    (n) => engine.records.update(actor, OBJECT, ids[n % ids.length]!, { amount: `${++updates}.75` }),
    (n) => runPlain(HAND_WRITTEN_WRITES.update, [ids[n % ids.length]!, `${++updates}.75`, admin.id]),
  ],
};
app.get<{ Params: { op: string }; Querystring: { calls?: string } }>('/bench/in-process/:op', async (request, reply) => {
  const pair = inProcess[request.params.op];
  if (!pair) return reply.status(404).send({ error: 'unknown operation' });
  return compareCpu(pair[0], pair[1], Number(request.query.calls ?? 400));
});

if (database.kind === 'pglite') {
  // PGlite is one connection in this process: the baseline can only share the engine's handle here.
  handWrittenRoutes(app, runPlain, admin.id);
} else {
  app.get('/bench/cpu', async () => process.cpuUsage());
}
if (process.env.BENCH_PROBES) {
  // Diagnostic routes: the engine without auth, and plain SQL behind auth.
  const inspector = await import('node:inspector/promises');
  const session = new inspector.Session();
  session.connect();
  app.get('/bench/profile/start', async () => {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return {};
  });
  app.get('/bench/profile/stop', async () => {
    const { profile } = await session.post('Profiler.stop');
    const { writeFileSync } = await import('node:fs');
    writeFileSync('/tmp/bench.cpuprofile', JSON.stringify(profile));
    return {};
  });
  app.get<{ Params: { id: string } }>('/bench/engine/:id', async (request) => engine.records.get(systemActor, OBJECT, request.params.id));
  app.get<{ Params: { id: string } }>('/api/bench-probe/:id', async (request) => (await sql<Row>`select * from crm_data.bench_deal where id = ${request.params.id}::uuid and deleted_at is null`.execute(db)).rows[0]);
}
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as AddressInfo).port;
// The database's name only (not its URL, which holds a password): the bench builds the URL from its own DATABASE_URL.
const name = database.options.databaseUrl ? new URL(database.options.databaseUrl).pathname.slice(1) : undefined;
console.log(JSON.stringify({ ready: true, port, token, ids, kind: database.kind, rows: ROWS, database: name, actorId: admin.id }));

const stop = async () => {
  await app.close();
  await pool?.end();
  await engine.close();
  await database.drop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
