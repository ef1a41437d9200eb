import type { Kysely } from 'kysely';
import { insideAtomicUnit } from './atomic-unit';

/**
 * The record statements the API runs most (records/prepared.ts: compiled once, bound per call)
 * can skip Kysely's executor on PostgreSQL and go to the pool: Kysely's layers (connection
 * provider, runtime driver, result transformation, each one an await) cost more CPU than pg's own
 * work on a one-row read. Only the root handle has a direct runner, and only outside an atomic
 * unit: a transaction runs its statements on its connection, through Kysely as before.
 */

/** Runs SQL text with `$n` parameters on a pooled connection. */
export type DirectQuery = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

interface Registered {
  readonly run: DirectQuery;
  readonly executor: { executeQuery: unknown };
  /** The executor's own executeQuery when registered. */
  readonly executeQuery: unknown;
}

const registered = new WeakMap<object, Registered>();

export function registerDirectQuery(db: Kysely<unknown>, run: DirectQuery): void {
  const executor = db.getExecutor() as unknown as { executeQuery: unknown };
  registered.set(db, { run, executor, executeQuery: executor.executeQuery });
}

/**
 * The direct runner of `db`, if it has one. None once something has wrapped its executor (a
 * benchmark capturing the statements to explain them): what observes statements still sees these.
 */
export function directQueryOf(db: object): DirectQuery | undefined {
  // Inside an atomic unit the statement must run on the unit's connection, which Kysely's path gives it.
  if (insideAtomicUnit()) return undefined;
  const entry = registered.get(db);
  return entry && entry.executor.executeQuery === entry.executeQuery ? entry.run : undefined;
}
