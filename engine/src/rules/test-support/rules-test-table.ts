import { sql, type Kysely } from 'kysely';
import type { RuleScope, RuleVariable } from '../scope';
import { referenceJsonLogic as jsonLogic } from './lower-reference';
import type { Random } from './random';

/**
 * A table with a column of every value kind, the scope over it, and rows full of the values
 * where JavaScript and SQL part ways (nulls, empty and numeric strings, NaN, -0, Infinity,
 * microseconds, astral-free unicode), for the SQL equivalence tests.
 */
export const USER_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
export const TODAY = '2024-01-05';
export const NOW = '2024-01-05T10:00:00.000Z';
/** One array object for the context value: `==` on arrays is identity. */
export const CONTEXT_TAGS: readonly string[] = Object.freeze(['a', 'vip']);

const COLUMNS: Record<string, RuleVariable> = {
  s: { kind: 'string', sql: { column: 's' } },
  s2: { kind: 'string', sql: { column: 's2' } },
  u: { kind: 'uuid', sql: { column: 'u' } },
  n: { kind: 'number', sql: { column: 'n' } },
  big: { kind: 'number', sql: { column: 'big' } },
  f: { kind: 'number', sql: { column: 'f' } },
  b: { kind: 'boolean', sql: { column: 'b' } },
  d: { kind: 'date', sql: { column: 'd' } },
  ts: { kind: 'datetime', sql: { column: 'ts' } },
  tags: { kind: 'string_array', sql: { column: 'tags' } },
  j: { kind: 'json', sql: { column: 'j' } },
};

const CONTEXT: Record<string, RuleVariable> = {
  '$user.id': { kind: 'uuid', sql: { value: USER_ID } },
  $today: { kind: 'date', sql: { value: TODAY } },
  $now: { kind: 'datetime', sql: { value: NOW } },
  $tags: { kind: 'string_array', sql: { value: CONTEXT_TAGS } },
};

export const COMPUTED: Record<string, unknown> = {
  full_name: { cat: [{ var: 's' }, ' ', { var: 's2' }] },
  band: { if: [{ '>': [{ var: 'n' }, 100] }, 'big', { '>': [{ var: 'n' }, 10] }, 'mid', { var: 's' }] },
  total: { '+': [{ var: 'n' }, { var: 'big' }] },
  net: { '-': [{ var: 'f' }, { var: 'n' }] },
  scaled: { '*': [{ var: 'n' }, 2, { var: 's' }] },
  top: { max: [{ var: 'n' }, { var: 'big' }, 0] },
  low: { min: [{ var: 'f' }, { var: 's2' }] },
  same_tags: { var: 'tags' },
  is_big: { '>': [{ var: 'n' }, 100] },
  chosen_day: { if: [{ var: 'b' }, { var: 'd' }, '2024-01-01'] },
  folded: { lower: { var: 's' } },
};

const VARIABLES: Record<string, RuleVariable> = {
  ...COLUMNS,
  ...CONTEXT,
  ...Object.fromEntries(Object.entries(COMPUTED).map(([name, rule]) => [name, { kind: 'string', sql: { rule } } as RuleVariable])),
  in_memory_only: { kind: 'string' },
  loop_a: { kind: 'string', sql: { rule: { var: 'loop_b' } } },
  loop_b: { kind: 'string', sql: { rule: { cat: ['x', { var: 'loop_a' }] } } },
};

export const testScope: RuleScope = { resolve: (path) => VARIABLES[path] };
export const COLUMN_NAMES = Object.keys(COLUMNS);
export const CONTEXT_NAMES = Object.keys(CONTEXT);
export const COMPUTED_NAMES = Object.keys(COMPUTED);

export const STRINGS: readonly (string | null)[] = [
  null, '', 'abc', 'ABC', 'a', 'b', 'apple', '10', ' 7 ', '0x1A', '1e3', '-2', '2.5', 'Infinity', 'true', 'null',
  'a,b', 'é', 'zz', '0', '  ', '9', '100', '10.0', TODAY, '2024-01-05T10:00:00.000Z', '0b11', '1_0', 'vip', 'Ünïcødé ✓', USER_ID,
  'ACME Corp', 'Acme', 'ÉCOLE', 'İstanbul', '华信HX',
];
const UUIDS = [null, USER_ID, '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff', '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c'];
const NUMERICS = [null, '0', '1', '-1', '2.5', '10', '100', '1000.5', '-7.25', '0.1', 'NaN', '7', '1000', '101', '11'];
const BIGINTS = [null, '0', '1', '-5', '10', '100', '9007199254740991', '-1000', '7'];
const FLOATS = [null, '0', '-0', '1.5', 'NaN', 'Infinity', '-Infinity', '10', '1e-7', '1e21', '0.30000000000000004', '7'];
const DATES = [null, TODAY, '2024-02-29', '1999-12-31', '2024-01-06', '0099-01-01'];
const TIMESTAMPS = [null, NOW, '2024-01-05T10:00:00.123456Z', '2024-01-05T00:00:00Z', '1999-12-31T23:59:59.999999Z', '2024-01-05T10:00:00.000999Z'];
const TAGS = [null, ['a'], ['a', null], ['a', 'b'], ['vip'], ['b', 'a', 'vip'], ['10'], ['x,y'], [''], ['a', 'vip'], ['VIP', 'A']];
const JSONS = [null, 'null', '0', '1', '""', '"abc"', 'true', 'false', '[]', '[1]', '{}', '{"a":1}', '"10"'];

export async function createRulesTestTable(db: Kysely<unknown>, random: Random, count: number): Promise<void> {
  await sql`create schema rules_test`.execute(db);
  await sql`
    create table rules_test.items (
      id int primary key, s text, s2 text, u uuid, n numeric, big bigint, f double precision,
      b boolean, d date, ts timestamptz, tags text[], j jsonb
    )`.execute(db);
  for (let id = 1; id <= count; id++) {
    const pick = <T>(items: readonly T[]) => random.pick(items);
    await sql`
      insert into rules_test.items (id, s, s2, u, n, big, f, b, d, ts, tags, j) values (
        ${id}, ${pick(STRINGS)}, ${pick(STRINGS)}, ${pick(UUIDS)}::uuid, ${pick(NUMERICS)}::numeric,
        ${pick(BIGINTS)}::bigint, ${pick(FLOATS)}::float8, ${pick([null, true, false])}::boolean,
        ${pick(DATES)}::date, ${pick(TIMESTAMPS)}::timestamptz, ${pick(TAGS)}::text[], ${pick(JSONS)}::jsonb
      )`.execute(db);
  }
}

export interface TestRow {
  readonly id: number;
  /** The record as rules see it: ValueKind's JavaScript forms, context values and computed fields. */
  readonly data: Record<string, unknown>;
}

/** Reads the rows back and builds what json-logic-js sees (numbers as JS numbers, etc.). */
export async function readRulesTestRows(db: Kysely<unknown>): Promise<TestRow[]> {
  const result = await sql<Record<string, unknown>>`select * from rules_test.items order by id`.execute(db);
  return result.rows.map((row) => {
    const data: Record<string, unknown> = {};
    for (const name of COLUMN_NAMES) {
      const value = row[name];
      data[name] = COLUMNS[name]!.kind === 'number' && value !== null ? Number(value) : value;
    }
    data.$user = { id: USER_ID };
    data.$today = TODAY;
    data.$now = NOW;
    data.$tags = CONTEXT_TAGS;
    for (const [name, rule] of Object.entries(COMPUTED)) data[name] = jsonLogic.apply(rule as never, data);
    return { id: Number(row.id), data };
  });
}
