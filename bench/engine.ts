/**
 * `pnpm bench engine`: the engine's record pipeline against hand-written Kysely doing the same
 * statements on the same table, and the cost of adding a field to a large table.
 * Uses DATABASE_URL when set (PostgreSQL), otherwise an in-memory PGlite.
 */
import { createEngine, systemActor, type Engine } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { Kysely, sql } from 'kysely';
import { figure, report, type Figure } from './lib/results';
import { median, throughput, timed } from './lib/timing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function setupObject(engine: Engine, name: string): Promise<void> {
  await engine.objects.create(systemActor, {
    name,
    label: 'Bench item',
    title_field: 'title',
    fields: [
      { name: 'title', type: 'text', label: 'Title', required: true },
      { name: 'amount', type: 'decimal', label: 'Amount', precision: 18, scale: 2 },
      { name: 'qty', type: 'integer', label: 'Qty' },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New' }, { value: 'won', label: 'Won' }] },
      { name: 'close_date', type: 'date', label: 'Close' },
    ],
  });
}

/** Fills a record table straight in SQL (the engine's pipeline is measured elsewhere; this is setup). */
async function fill(db: Kysely<unknown>, table: string, rows: number): Promise<void> {
  const batch = 200_000;
  for (let done = 0; done < rows; done += batch) {
    const n = Math.min(batch, rows - done);
    await sql`
      insert into ${sql.table(`crm_data.${table}`)} (id, created_by, updated_by, owner_id, title, amount, qty, stage, close_date)
      select gen_random_uuid(), '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000',
             'item ' || g, (g % 1000) + 0.5, g % 17, case when g % 2 = 0 then 'new' else 'won' end, date '2024-01-01' + (g % 365)
      from generate_series(${done + 1}::int, ${done + n}::int) g`.execute(db);
  }
  await sql`analyze ${sql.table(`crm_data.${table}`)}`.execute(db);
}

export async function run(): Promise<void> {
  const database = await createTestDatabase();
  const engine = await createEngine(database.options);
  const db = engine.database.db as unknown as Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const kind = database.kind;
  console.log(`engine benchmark on ${kind}${kind === 'pglite' ? ' (set DATABASE_URL for PostgreSQL)' : ''}, ${SECONDS}s per figure`);
  const figures: Figure[] = [];
  try {
    await setupObject(engine, 'bench_item');
    const input = (i: number) => ({ title: `item ${i}`, amount: '1234.50', qty: i % 17, stage: i % 2 ? 'won' : 'new', close_date: '2024-06-30' });
    const actor = '00000000-0000-0000-0000-000000000000';
    const { v7: uuidv7 } = await import('uuid');
    const handInsert = (i: number) =>
      db
        .withSchema('crm_data')
        .insertInto('bench_item')
        .values({ id: uuidv7(), created_by: actor, updated_by: actor, owner_id: actor, ...input(i) })
        .returningAll()
        .executeTakeFirstOrThrow();

    // warm up both paths (plans, caches, JIT)
    for (let i = 0; i < 300; i++) {
      await engine.records.create(systemActor, 'bench_item', input(i));
      await handInsert(i);
    }
    const concurrencies = kind === 'postgres' ? [1, 8] : [1];
    for (const c of concurrencies) {
      // Alternate the two so drift (autovacuum, cache) hits both alike; take the median of three rounds.
      const engineRuns: number[] = [];
      const handRuns: number[] = [];
      for (let round = 0; round < 3; round++) {
        engineRuns.push(await throughput((i) => engine.records.create(systemActor, 'bench_item', input(i)), (SECONDS * 1000) / 3, c));
        handRuns.push(await throughput((i) => handInsert(i), (SECONDS * 1000) / 3, c));
      }
      figures.push(figure(`create, ${c} in flight`, median(engineRuns), 'records/s', median(handRuns), true));
    }

    const ids = (await db.withSchema('crm_data').selectFrom('bench_item').select('id').limit(2000).execute()).map((r: { id: string }) => r.id);
    const handGet = (i: number) =>
      db.withSchema('crm_data').selectFrom('bench_item').selectAll().where('id', '=', ids[i % ids.length]).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    for (let i = 0; i < 300; i++) {
      await engine.records.get(systemActor, 'bench_item', ids[i % ids.length]!);
      await handGet(i);
    }
    for (const c of concurrencies) {
      const engineRuns: number[] = [];
      const handRuns: number[] = [];
      for (let round = 0; round < 3; round++) {
        engineRuns.push(await throughput((i) => engine.records.get(systemActor, 'bench_item', ids[i % ids.length]!), (SECONDS * 1000) / 3, c));
        handRuns.push(await throughput((i) => handGet(i), (SECONDS * 1000) / 3, c));
      }
      figures.push(figure(`read by id, ${c} in flight`, median(engineRuns), 'records/s', median(handRuns), true));
    }

    // Adding a field must not depend on the table's size (no rewrite).
    const sizes = [1_000, 1_000_000];
    const addTimes: number[] = [];
    for (const size of sizes) {
      const name = `bench_size_${size}`;
      await setupObject(engine, name);
      const filled = await timed(() => fill(db, name, size));
      console.log(`  filled ${name} with ${size} rows in ${(filled.ms / 1000).toFixed(1)}s`);
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { ms } = await timed(() => engine.fields.create(systemActor, name, { name: `extra_${i}`, type: 'text', label: 'Extra' }));
        runs.push(ms);
      }
      addTimes.push(median(runs));
    }
    figures.push(figure('add a text field, 1,000 rows', addTimes[0]!, 'ms', null, false));
    // Baseline of the 1M figure is the 1k figure: a ratio near 1 means the time does not grow with rows.
    figures.push(figure('add a text field, 1,000,000 rows', addTimes[1]!, 'ms', addTimes[0]!, false));
  } finally {
    await engine.close();
    await database.drop();
  }
  report('engine', figures);
}
