import type { CompiledQuery, Kysely } from 'kysely';

/**
 * Captures the record statements the engine runs (to EXPLAIN them): the executor is shared by
 * every query on `db`, so while capturing is on, the last SELECT on a record table is kept.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function captureStatements(db: Kysely<any>): { last: () => CompiledQuery | undefined; on: (value: boolean) => void } {
  const executor = db.getExecutor() as { executeQuery: (q: CompiledQuery) => Promise<unknown> };
  const original = executor.executeQuery.bind(executor);
  let enabled = false;
  let last: CompiledQuery | undefined;
  executor.executeQuery = (q: CompiledQuery) => {
    if (enabled && /^\s*select/i.test(q.sql) && q.sql.includes('crm_data')) last = q;
    return original(q);
  };
  return { last: () => last, on: (value) => (enabled = value) };
}
