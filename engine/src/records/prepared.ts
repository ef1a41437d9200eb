import { CompiledQuery, sql, type Kysely, type QueryExecutorProvider, type QueryResult, type RawBuilder } from 'kysely';
import { registerNamedStatement } from '../db/named-statements';
import type { CompiledObject } from '../metadata/compiled';

/**
 * The record statements the API runs most (get by id, insert, update) have a fixed shape per
 * object and column set. Building and compiling them through Kysely on every call costs more
 * than the round trip on a fast network, so each shape is compiled once per compiled object (that
 * is, per metadata revision) and later calls only bind new values.
 */

/** Stands for the n-th value of an execution in a statement built for caching. */
export class Slot {
  constructor(readonly index: number) {}
}

interface Prepared {
  readonly sql: string;
  readonly order: readonly number[];
}

const cache = new WeakMap<CompiledObject, Map<string, Prepared>>();
const MAX_SHAPES_PER_OBJECT = 500;

function prepare(db: QueryExecutorProvider, build: () => RawBuilder<unknown>): Prepared {
  const compiled = build().compile(db);
  registerNamedStatement(compiled.sql);
  return {
    sql: compiled.sql,
    order: compiled.parameters.map((p) => {
      // A literal value baked into a cached statement would be reused for other calls: refuse it.
      if (!(p instanceof Slot)) throw new Error('a prepared record statement may only bind slots');
      return p.index;
    }),
  };
}

export async function executePrepared<R>(
  db: QueryExecutorProvider,
  object: CompiledObject,
  key: string,
  build: () => RawBuilder<unknown>,
  values: readonly unknown[],
): Promise<QueryResult<R>> {
  let shapes = cache.get(object);
  if (!shapes) {
    shapes = new Map();
    cache.set(object, shapes);
  }
  let prepared = shapes.get(key);
  if (!prepared) {
    prepared = prepare(db, build);
    if (shapes.size >= MAX_SHAPES_PER_OBJECT) shapes.clear();
    shapes.set(key, prepared);
  }
  const executor = db as unknown as Kysely<unknown>;
  return executor.executeQuery<R>(CompiledQuery.raw(prepared.sql, prepared.order.map((i) => values[i])));
}

/** Binds predicate values as slots from `start` on, collecting the values to pass. */
export function slotBinder(start: number): { bind: (value: unknown, type: 'uuid' | 'uuid[]') => RawBuilder<unknown>; values: unknown[] } {
  const values: unknown[] = [];
  return {
    values,
    bind: (value, type) => {
      values.push(value);
      return sql`${new Slot(start + values.length - 1)}::${sql.raw(type)}`;
    },
  };
}
