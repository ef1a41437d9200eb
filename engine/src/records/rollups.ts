import { sql, type QueryExecutorProvider, type RawBuilder } from 'kysely';
import { compileFilterToSql } from '../rules/sql';
import type { RuleScope } from '../rules/scope';
import type { RollupAggregate } from '../metadata/types';
import { recordTable } from '../schema-sync/ddl';

/**
 * Rollups are stored on the parent and recomputed inside the transaction of every child write
 * that can change them. The parent rows are locked first: the recompute then runs as a new
 * statement, whose snapshot includes every child committed before the lock was granted, so two
 * concurrent child writes cannot both miss each other.
 */
export interface RollupSpec {
  readonly rollupColumn: string;
  readonly aggregate: RollupAggregate;
  readonly childTable: string;
  readonly relationshipColumn: string;
  readonly aggregateColumn: string | null;
  readonly filter: unknown;
  /** Scope of the child object, for translating the filter. */
  readonly childScope: RuleScope;
}

const CHILD = 'c';
const PARENT = 'p';

/** The aggregate over child rows aliased `c`, and the rollup's own filter on them. */
export function aggregateParts(spec: RollupSpec): { aggregate: RawBuilder<unknown>; where: RawBuilder<unknown> } {
  const value = spec.aggregateColumn ? sql.ref(`${CHILD}.${spec.aggregateColumn}`) : sql`1`;
  const where = spec.filter === undefined ? sql`true` : compileFilterToSql(spec.filter, spec.childScope, { table: CHILD });
  const aggregate =
    spec.aggregate === 'count'
      ? sql`count(*)`
      : spec.aggregate === 'sum'
        ? sql`coalesce(sum(${value}), 0)`
        : spec.aggregate === 'min'
          ? sql`min(${value})`
          : sql`max(${value})`;
  return { aggregate, where };
}

function aggregateSql(spec: RollupSpec): RawBuilder<unknown> {
  const { aggregate, where } = aggregateParts(spec);
  return sql`(select ${aggregate} from ${recordTable(spec.childTable)} as ${sql.id(CHILD)}
    where ${sql.ref(`${CHILD}.${spec.relationshipColumn}`)} = ${sql.ref(`${PARENT}.id`)}
      and ${sql.ref(`${CHILD}.deleted_at`)} is null and (${where}))`;
}

function assignments(specs: readonly RollupSpec[]): RawBuilder<unknown> {
  return sql.join(specs.map((spec) => sql`${sql.id(spec.rollupColumn)} = ${aggregateSql(spec)}`));
}

/** Recomputes rollups of the given parents (all specs must belong to one parent table). */
export async function recomputeRollups(db: QueryExecutorProvider, parentTable: string, specs: readonly RollupSpec[], parentIds: readonly string[]): Promise<void> {
  const ids = [...new Set(parentIds)].sort();
  if (ids.length === 0 || specs.length === 0) return;
  // FOR NO KEY UPDATE: the child insert already holds FOR KEY SHARE on the parent (its foreign key
  // check); FOR UPDATE would conflict with that and deadlock two concurrent child inserts.
  await sql`select id from ${recordTable(parentTable)} where id = any(${ids}::uuid[]) order by id for no key update`.execute(db);
  await sql`update ${recordTable(parentTable)} as ${sql.id(PARENT)} set ${assignments(specs)} where ${sql.ref(`${PARENT}.id`)} = any(${ids}::uuid[])`.execute(db);
}

/** Computes a new rollup for every parent (when the rollup is added or redefined). */
export async function backfillRollups(db: QueryExecutorProvider, parentTable: string, specs: readonly RollupSpec[]): Promise<void> {
  if (specs.length === 0) return;
  await sql`update ${recordTable(parentTable)} as ${sql.id(PARENT)} set ${assignments(specs)}`.execute(db);
}
