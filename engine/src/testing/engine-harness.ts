import { afterAll, beforeAll } from 'vitest';
import type { DatabaseOptions } from '../db/open-database';
import { createEngine, type Engine, type EngineOptions } from '../engine';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface EngineHarness {
  readonly engine: Engine;
  readonly database: TestDatabase;
  /** Another engine on the same database, as a second server process would have (PostgreSQL only). */
  openAnother(): Promise<Engine>;
}

/**
 * One engine on a fresh database for the calling test file (vitest's beforeAll/afterAll), closed
 * and dropped afterwards, with `options` besides the database (delivery settings, say). Tests share it within the file, so they name their objects uniquely.
 */
export function useTestEngine(options: Omit<EngineOptions, keyof DatabaseOptions> = {}): () => EngineHarness {
  let harness: EngineHarness | undefined;
  const others: Engine[] = [];
  beforeAll(async () => {
    const database = await createTestDatabase();
    const engine = await createEngine({ ...options, ...database.options });
    harness = {
      engine,
      database,
      async openAnother() {
        if (database.kind !== 'postgres') throw new Error('a second process needs PostgreSQL');
        const other = await createEngine({ ...options, ...database.options });
        others.push(other);
        return other;
      },
    };
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await harness?.engine.close();
    await harness?.database.drop();
  });
  return () => {
    if (!harness) throw new Error('the test engine is not ready (use it inside tests)');
    return harness;
  };
}

/** Unique object names per test, so tests in one file do not collide. */
let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter}_${Math.random().toString(36).slice(2, 7)}`;
}
