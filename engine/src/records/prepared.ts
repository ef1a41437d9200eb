import { CompiledQuery, sql, type Kysely, type QueryExecutorProvider, type QueryResult, type RawBuilder } from 'kysely';
import { directQueryOf } from '../db/direct-queries';
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
  /** Per parameter: the slot it takes its value from. */
  readonly order: readonly number[];
  /** Runs until it is named (then PostgreSQL parses and plans it once per connection). */
  unnamedRuns: number;
}

/**
 * An ad-hoc shape (a list filter's) is named once it is used this often: every named statement
 * stays prepared on each connection that ran it, and the shapes of ad-hoc filters are as many
 * as people write; a view's or a kanban column's filter repeats at once.
 */
const RUNS_BEFORE_NAMING_AD_HOC = 3;

/** How many statements were compiled (cache misses), for tests that a shape is reused. */
let compilations = 0;
export function preparedCompilations(): number {
  return compilations;
}

const cache = new WeakMap<CompiledObject, Map<string, Prepared>>();
const MAX_SHAPES_PER_OBJECT = 500;

function prepare(db: QueryExecutorProvider, build: () => RawBuilder<unknown>, adHoc: boolean): Prepared {
  const compiled = build().compile(db);
  compilations++;
  const unnamedRuns = adHoc ? RUNS_BEFORE_NAMING_AD_HOC : 0;
  if (unnamedRuns === 0) registerNamedStatement(compiled.sql);
  return {
    sql: compiled.sql,
    unnamedRuns,
    order: compiled.parameters.map((p) => {
      // A value bound into a cached statement would be reused by every later call of the same key.
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
  options: { readonly adHoc?: boolean } = {},
): Promise<QueryResult<R>> {
  let shapes = cache.get(object);
  if (!shapes) {
    shapes = new Map();
    cache.set(object, shapes);
  }
  let prepared = shapes.get(key);
  if (!prepared) {
    prepared = prepare(db, build, options.adHoc === true);
    if (shapes.size >= MAX_SHAPES_PER_OBJECT) shapes.clear();
    shapes.set(key, prepared);
  }
  if (prepared.unnamedRuns > 0 && --prepared.unnamedRuns === 0) registerNamedStatement(prepared.sql);
  const parameters = prepared.order.map((i) => values[i]);
  const direct = directQueryOf(db);
  if (direct) return (await direct(prepared.sql, parameters)) as QueryResult<R>;
  const executor = db as unknown as Kysely<unknown>;
  return executor.executeQuery<R>(CompiledQuery.raw(prepared.sql, parameters));
}

/** Collects the values of a statement built with slots, in slot order. */
export class SlotValues {
  readonly values: unknown[] = [];

  /** A slot for `value`. */
  slot(value: unknown): Slot {
    this.values.push(value);
    return new Slot(this.values.length - 1);
  }

  /** A slot for `value`, cast (the record predicates' binder). */
  readonly bind = (value: unknown, type: 'uuid' | 'uuid[]'): RawBuilder<unknown> => sql`${this.slot(value)}::${sql.raw(type)}`;
}
