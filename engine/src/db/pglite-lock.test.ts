import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDialect } from './pglite-dialect';

describe('PGlite single-connection lock', () => {
  let db: Kysely<unknown>;
  beforeAll(async () => {
    db = new Kysely({ dialect: new PGliteDialect(await PGlite.create()) });
    await sql`create table counter (n int)`.execute(db);
    await sql`insert into counter values (0)`.execute(db);
  });
  afterAll(async () => db.destroy());

  it('never lets a statement run inside another request\'s open transaction', async () => {
    const rolledBack = db.transaction().execute(async (trx) => {
      await sql`update counter set n = n + 100`.execute(trx);
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('abort');
    });
    // Issued while the transaction is open; must run after it, so it must not be rolled back with it.
    const outside = sql`update counter set n = n + 1`.execute(db);
    await expect(rolledBack).rejects.toThrow('abort');
    await outside;
    const writes = await Promise.all(Array.from({ length: 50 }, () => db.transaction().execute((trx) => sql`update counter set n = n + 1`.execute(trx))));
    expect(writes).toHaveLength(50);
    const result = await sql<{ n: number }>`select n from counter`.execute(db);
    expect(result.rows[0]!.n).toBe(51);
  });
});
