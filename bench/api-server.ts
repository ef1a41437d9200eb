/**
 * The server side of `pnpm bench api`, run as its own process: the product's app (generated
 * routes, with authentication) plus hand-written Fastify routes doing the same SQL on the same
 * table, with no metadata, validation or auth - the baseline. Prints one JSON line when ready.
 */
import type { AddressInfo } from 'node:net';
import { createEngine, systemActor, userActor } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { buildApp } from '@crm/server';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const OBJECT = 'bench_deal';
const COLUMNS = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at', 'title', 'amount', 'stage', 'close_date'];

const database = await createTestDatabase();
const engine = await createEngine(database.options);
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

// The baseline: plain Fastify + pg (PGlite has no pg server, so there it shares the engine's handle).
const pool = database.options.databaseUrl ? new pg.Pool({ connectionString: database.options.databaseUrl, max: 10 }) : undefined;
type Row = Record<string, unknown>;
/** Runs hand-written SQL with $n parameters: through pg on PostgreSQL, through the engine's PGlite handle otherwise. */
const run = async (text: string, values: unknown[]): Promise<Row[]> => {
  if (pool) return (await pool.query(text, values)).rows as Row[];
  const parts = text.split(/\$(\d+)/);
  const fragments = parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1]}`));
  return (await sql<Row>`${sql.join(fragments, sql``)}`.execute(db)).rows;
};
const cols = COLUMNS.join(', ');
app.get<{ Params: { id: string } }>('/bench/deal/:id', async (request, reply) => {
  const rows = await run(`select ${cols} from crm_data.bench_deal where id = $1 and deleted_at is null`, [request.params.id]);
  if (!rows[0]) return reply.status(404).send({ error: 'not found' });
  return rows[0];
});
app.get<{ Querystring: { min: string } }>('/bench/deal', async (request) => {
  const rows = await run(`select ${cols} from crm_data.bench_deal where deleted_at is null and amount > $1 order by amount desc, id limit 51`, [request.query.min]);
  return { data: rows.slice(0, 50), next_cursor: rows.length > 50 ? 'x' : null };
});
app.post<{ Body: { title: string; amount: string; stage: string; close_date: string } }>('/bench/deal', async (request, reply) => {
  const b = request.body;
  const rows = await run(
    `insert into crm_data.bench_deal (id, created_by, updated_by, owner_id, title, amount, stage, close_date) values (gen_random_uuid(), $1, $1, $1, $2, $3, $4, $5) returning ${cols}`,
    [admin.id, b.title, b.amount, b.stage, b.close_date],
  );
  return reply.status(201).send(rows[0]);
});
app.patch<{ Params: { id: string }; Body: { amount: string } }>('/bench/deal/:id', async (request) => {
  const rows = await run(
    `update crm_data.bench_deal set amount = $2, version = version + 1, updated_at = now(), updated_by = $3 where id = $1 and deleted_at is null returning ${cols}`,
    [request.params.id, request.body.amount, admin.id],
  );
  return rows[0];
});

// Server CPU time, read before and after each run: CPU per request is steadier than requests/s on a busy machine.
app.get('/bench/cpu', async () => process.cpuUsage());
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
  app.get<{ Params: { id: string } }>('/api/bench-probe/:id', async (request) => (await run(`select ${cols} from crm_data.bench_deal where id = $1 and deleted_at is null`, [request.params.id]))[0]);
}
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as AddressInfo).port;
console.log(JSON.stringify({ ready: true, port, token, ids, kind: database.kind, rows: ROWS }));

const stop = async () => {
  await app.close();
  await pool?.end();
  await engine.close();
  await database.drop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
