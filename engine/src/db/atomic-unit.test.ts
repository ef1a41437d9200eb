import { sql, type RawBuilder } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestEngine } from '../testing';

const harness = useTestEngine();

/** A database handle or transaction. */
type Executor = Parameters<RawBuilder<unknown>['execute']>[0];

/** A scratch table of ids, to see which writes of a unit were kept. */
async function probe(): Promise<{ ids(): Promise<number[]>; insert(id: number, on?: Executor): Promise<void> }> {
  const { engine } = harness();
  const db = engine.database.db;
  const table = `atomic_probe_${Math.random().toString(36).slice(2, 8)}`;
  await sql`create table ${sql.table(table)} (id int primary key)`.execute(db);
  return {
    ids: async () => (await sql<{ id: number }>`select id from ${sql.table(table)} order by id`.execute(db)).rows.map((row) => row.id),
    insert: async (id, on = db) => {
      await sql`insert into ${sql.table(table)} (id) values (${id})`.execute(on);
    },
  };
}

describe('atomic units', () => {
  it('commit the transactions and statements made in them together, or none of them', async () => {
    const { engine } = harness();
    const { db } = engine.database;
    const table = await probe();
    await engine.database.atomically(async () => {
      await db.transaction().execute((trx) => table.insert(1, trx));
      await table.insert(2);
    });
    expect(await table.ids()).toEqual([1, 2]);

    await expect(
      engine.database.atomically(async () => {
        await db.transaction().execute((trx) => table.insert(3, trx));
        await table.insert(4);
        // Inside the unit its own writes are seen.
        expect(await table.ids()).toEqual([1, 2, 3, 4]);
        throw new Error('refused late');
      }),
    ).rejects.toThrow('refused late');
    expect(await table.ids()).toEqual([1, 2]);
  });

  it('roll a failed transaction back to its savepoint, and the unit carries on', async () => {
    const { engine } = harness();
    const { db } = engine.database;
    const table = await probe();
    await engine.database.atomically(async () => {
      await table.insert(5);
      await expect(
        db.transaction().execute(async (trx) => {
          await table.insert(6, trx);
          await table.insert(5, trx); // a duplicate key: this transaction fails
        }),
      ).rejects.toThrow();
      await table.insert(7);
      // Nested units join the open one.
      await engine.database.atomically(() => table.insert(8));
    });
    expect(await table.ids()).toEqual([5, 7, 8]);
  });

  it('refuse two transactions at once in one unit, and leave the database usable', async () => {
    const { engine } = harness();
    const { db } = engine.database;
    const table = await probe();
    const twice = engine.database.atomically(() =>
      Promise.all([1, 2].map((id) => db.transaction().execute(async (trx) => {
        await sql`select pg_sleep(0.02)`.execute(trx);
        await table.insert(id, trx);
      }))),
    );
    await expect(twice).rejects.toThrow('two transactions at once inside one atomic unit');
    await table.insert(9);
    expect(await table.ids()).toEqual([9]);
  });

  it('keep their writes from other work until they commit', async () => {
    const { engine } = harness();
    const table = await probe();
    let inside!: () => void;
    const written = new Promise<void>((resolve) => (inside = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const unit = engine.database.atomically(async () => {
      await table.insert(10);
      inside();
      await finished;
    });
    await written;
    // Outside the unit: PostgreSQL reads what is committed (nothing yet); PGlite's one session
    // waits for the unit to end, then reads its commit.
    const seen = table.ids();
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    await unit;
    expect(await seen).toEqual(engine.database.kind === 'postgres' ? [] : [10]);
    expect(await table.ids()).toEqual([10]);
  });
});
