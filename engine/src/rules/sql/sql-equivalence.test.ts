import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/open-database';
import { isCrmError } from '../../errors';
import { createTestDatabase, type TestDatabase } from '../../testing';
import { truthy } from '../js-runtime';
import { compileCondition } from '../compile-js';
import { referenceJsonLogic as jsonLogic } from '../test-support/lower-reference';
import { seededRandom, testSeed } from '../test-support/random';
import { randomFilter } from '../test-support/random-filters';
import { createRulesTestTable, readRulesTestRows, testScope, type TestRow } from '../test-support/rules-test-table';
import { compileFilterToSql, compileValueToSql } from './compile-filter';

const ROWS = 160;
const FILTERS = 700;

let test: TestDatabase;
let database: Database;
let db: Kysely<unknown>;
let rows: TestRow[];
const seed = testSeed();

beforeAll(async () => {
  test = await createTestDatabase();
  database = await openDatabase(test.options);
  db = database.db as unknown as Kysely<unknown>;
  await createRulesTestTable(db, seededRandom(seed), ROWS);
  rows = await readRulesTestRows(db);
});

afterAll(async () => {
  await database?.close();
  await test?.drop();
});

/**
 * Runs a filter as SQL, per row, and compares with json-logic-js on the same row, and with the
 * same filter compiled to JavaScript (the in-memory path the UIs and workflows use).
 */
async function mismatches(rule: unknown): Promise<string[]> {
  const filter = compileFilterToSql(rule, testScope, { table: 'items' });
  const inMemory = compileCondition(rule);
  const result = await sql<{ id: number; matched: boolean | null }>`
    select id, (${filter}) as matched from rules_test.items as items order by id`.execute(db);
  const problems: string[] = [];
  result.rows.forEach((row, i) => {
    const data = rows[i]!.data;
    const expected = truthy(jsonLogic.apply(rule as never, data));
    if (inMemory(data) !== expected) problems.push(`row ${row.id}: compiled rule ${String(inMemory(data))}, json-logic-js ${String(expected)}`);
    if (row.matched !== expected) {
      const shown = Object.fromEntries(Object.entries(data).filter(([k]) => JSON.stringify(rule).includes(`"${k}`) || k === 'id'));
      problems.push(`row ${row.id}: SQL ${String(row.matched)}, json-logic-js ${String(expected)} on ${JSON.stringify(shown, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`);
    }
  });
  return problems;
}

describe(`compileFilterToSql on a real database (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('selects exactly the rows json-logic-js finds truthy, for random filters over the subset', async () => {
    const random = seededRandom(seed + 1);
    let translated = 0;
    const refusals = new Map<string, number>();
    for (let i = 0; i < FILTERS; i++) {
      const rule = randomFilter(random);
      let problems: string[];
      try {
        problems = await mismatches(rule);
      } catch (error) {
        if (isCrmError(error, 'filter_not_translatable')) {
          const reason = String(error.params.reason);
          refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
          continue;
        }
        throw new Error(`seed ${seed} (replay with RULES_SEED=${seed}): ${JSON.stringify(rule)} failed: ${String(error)}`, { cause: error });
      }
      translated++;
      expect(problems, `seed ${seed} (replay with RULES_SEED=${seed}): ${JSON.stringify(rule)}\n${problems.slice(0, 5).join('\n')}`).toEqual([]);
    }
    console.info(`SQL equivalence: ${translated} of ${FILTERS} random filters translated and matched json-logic-js (seed ${seed}); refused: ${JSON.stringify([...refusals])}`);
    // Refusals are for json comparisons and mixed-type choices; the rest must translate.
    expect(translated, `refused: ${JSON.stringify([...refusals])}`).toBeGreaterThan(FILTERS * 0.8);
  });

  it('handles the classic pitfalls exactly', async () => {
    const rules: unknown[] = [
      { '<': [{ var: 'n' }, 5] }, // null < 5 is true in JavaScript
      { '==': [{ var: 'n' }, 0] }, // null == 0 is false
      { '!': { '==': [{ var: 's' }, 'abc'] } }, // NOT must keep the null rows
      { '>': [{ var: 's' }, 9] }, // "10" > 9, "abc" > 9 false, " 7 " trims, "0x1A" is 26
      { '<': [{ var: 's' }, 5] }, // "abc" < 5 false, "" < 5 true
      { '>': [{ var: 'f' }, 5] }, // NaN > 5 false (PostgreSQL sorts NaN last)
      { '==': [{ var: 'f' }, { var: 'f' }] }, // NaN == NaN false
      { '!=': [{ var: 'n' }, { var: 'n' }] },
      { '<': [{ var: 's' }, { var: 's2' }] }, // code unit order, nulls as 0
      { '==': [{ var: 'tags' }, 'a,b'] }, // Array.prototype.toString
      { '==': [{ var: 'tags' }, { var: 'tags' }] }, // same object
      { '==': [{ var: 'tags' }, { var: 'same_tags' }] },
      { '===': [{ var: '$tags' }, { var: '$tags' }] },
      { in: ['vip', { var: 'tags' }] },
      { in: [{ var: 's' }, 'Springfield abc'] },
      { in: [{ var: 'n' }, { var: 's' }] },
      { '==': [{ var: 'u' }, 'NOT-A-UUID'] }, // never cast to uuid
      { '<': [{ var: 'u' }, 'NOT-A-UUID'] },
      { '==': [{ var: 'u' }, { var: '$user.id' }] },
      { '<': [{ var: 'd' }, '2024-1-5'] }, // not canonical: text comparison
      { '<=': [{ var: 'ts' }, '2024-01-05T10:00:00.123Z'] }, // microseconds truncate
      { '==': [{ var: 'ts' }, '2024-01-05T10:00:00.123Z'] },
      { '<': ['2000-01-01', { var: 'd' }, { var: '$today' }] },
      { '==': [{ var: 'b' }, '1'] },
      { '==': [{ var: 'b' }, ''] },
      { '!!': { var: 'j' } },
      { '===': [{ var: 'j' }, 'abc'] },
      { '==': [{ var: 'j' }, null] },
      { if: [{ var: 'b' }, { '>': [{ var: 'n' }, 1] }, { var: 's' }] },
      { '==': [{ var: 'band' }, 'mid'] },
      { '>': [{ var: 'total' }, 100] },
      { '==': [{ var: 'full_name' }, 'abc 10'] },
      { missing: ['s', 'n', 'tags'] },
      { missing_some: [2, ['s', 'n', 'tags']] },
      { '==': [{ cat: [{ var: 'n' }, '|', { var: 'f' }, '|', { var: 'b' }, '|', { var: 'tags' }] }, '10|10|true|a,b'] },
      { '<': [{ var: 'scaled' }, 20] },
      { '==': [{ var: 'chosen_day' }, '2024-01-01'] },
      { some: [{ var: 'tags' }, { '==': [{ var: '' }, 'vip'] }] },
      { all: [{ var: 'tags' }, { in: [{ var: '' }, ['a', 'b']] }] },
      { none: [{ var: 'tags' }, { '<': [{ var: '' }, 5] }] }, // "" < 5 and "10" < 5 as numbers
      { some: [{ var: '$tags' }, { '==': [{ var: '' }, { var: 'x' }] }] }, // {"var": "x"} of an item is null
      { all: [{ var: 's' }, true] }, // not an array
      { in: ['acme', { lower: { var: 's' } }] }, // case-insensitive contains: null and '' contain nothing
      { '!': { in: ['acme', { lower: { var: 's' } }] } },
      { and: [{ '<=': ['ac', { lower: { var: 's' } }] }, { '<': [{ lower: { var: 's' } }, 'ad'] }] }, // starts with
      { in: ['é', { lower: { var: 's' } }] }, // É is not folded, on either side
      { '==': [{ lower: { var: 's' } }, 'istanbul'] }, // nor İ
      { in: ['vip', { lower: { var: 'tags' } }] }, // the join(",") of a multiselect
      { '==': [{ lower: { var: 'n' } }, 'nan'] },
      { '==': [{ lower: { var: 'b' } }, 'true'] },
      { '==': [{ lower: { var: 'ts' } }, '2024-01-05t10:00:00.000z'] },
      { '==': [{ var: 'folded' }, 'acme corp'] },
      { '==': [{ lower: { var: '$user.id' } }, { lower: { var: 'u' } }] },
    ];
    for (const rule of rules) expect(await mismatches(rule), JSON.stringify(rule)).toEqual([]);
  });

  it('produces index-friendly SQL with every value bound', () => {
    const compiled = (rule: unknown) => compileFilterToSql(rule, testScope).compile(db);
    const eq = compiled({ '==': [{ var: 's' }, 'abc'] });
    expect(eq.sql).toContain('"s" = $1');
    expect(eq.parameters).toEqual(['abc']);
    expect(compiled({ in: [{ var: 's' }, ['a', 'b', 'c']] }).sql).toContain('"s" = any($1::text[])');
    expect(compiled({ '>': [{ var: 'n' }, 10] }).sql).toContain('"n" > $1');
    expect(compiled({ '==': [{ var: 'd' }, '2024-01-05'] }).sql).toContain('"d" = $1::date');
    expect(compiled({ '>=': [{ var: 'ts' }, NOW_ISO] }).sql).toContain('"ts" >= $1::timestamptz');
    expect(compiled({ '==': [{ var: 'u' }, { var: '$user.id' }] }).sql).toContain('"u" = $1::uuid');
    expect(compiled({ in: ['vip', { var: 'tags' }] }).sql).toContain('"tags" @> array[$1::text]');
    const folded = compiled({ in: ['acme', { lower: { var: 's' } }] });
    expect(folded.sql).toContain(`strpos(translate("s", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), $`);
    expect(folded.parameters).toEqual(['acme']);
    const some = compiled({ some: [{ var: 'tags' }, { '==': [{ var: '' }, 'vip'] }] }).sql;
    expect(some).toContain('exists (select 1 from unnest("tags") as "rule_item_1"("value") where');
    expect(some).toContain('"rule_item_1"."value" = $1');
    const odd = compiled({ '==': [{ var: 'u' }, "x'; drop table items; --"] });
    expect(odd.sql).toBe('false');
    const quoted = compiled({ '<': [{ var: 's' }, "'; drop table items; --"] });
    expect(quoted.sql).not.toContain('drop');
    expect(quoted.parameters).toContain("'; drop table items; --");
  });

  it('computes values for sorting', async () => {
    const { expression, kind } = compileValueToSql({ var: 'total' }, testScope);
    expect(kind).toBe('number');
    const result = await sql<{ id: number; v: number }>`select id, ${expression} as v from rules_test.items order by id`.execute(db);
    result.rows.forEach((row, i) => expect(Object.is(Number(row.v), jsonLogic.apply({ var: 'total' }, rows[i]!.data))).toBe(true));
  });
});

const NOW_ISO = '2024-01-05T10:00:00.000Z';
