import type { CompiledQuery, Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { uniqueName, useTestEngine } from '../testing';
import { directQueryOf } from './direct-queries';

const harness = useTestEngine();

describe('direct queries', () => {
  it('run the root handle on PostgreSQL (not a transaction, not PGlite), and step aside once its executor is wrapped', async () => {
    const { engine, database } = harness();
    const db = engine.database.db as unknown as Kysely<unknown>;
    if (database.kind !== 'postgres') {
      expect(directQueryOf(db)).toBeUndefined();
      return;
    }
    const run = directQueryOf(db)!;
    expect((await run('select $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
    await db.transaction().execute(async (trx) => expect(directQueryOf(trx)).toBeUndefined());

    // A record read goes through a wrapped executor (what a benchmark capturing statements does).
    const name = uniqueName('thing');
    await engine.objects.create(systemActor, { name, label: 'Thing', title_field: 'title', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    const record = await engine.records.create(systemActor, name, { title: 'one' });
    const executor = db.getExecutor() as unknown as { executeQuery: (q: CompiledQuery) => Promise<unknown> };
    const original = executor.executeQuery.bind(executor);
    const seen: string[] = [];
    executor.executeQuery = (q) => {
      seen.push(q.sql);
      return original(q);
    };
    try {
      expect(directQueryOf(db)).toBeUndefined();
      expect((await engine.records.get(systemActor, name, record.id as string)).title).toBe('one');
      expect(seen.some((text) => text.includes(`"crm_data"."${name}"`))).toBe(true);
    } finally {
      delete (executor as { executeQuery?: unknown }).executeQuery;
    }
    expect(directQueryOf(db)).toBe(run);
  });
});
