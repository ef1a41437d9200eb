import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/open-database';
import { createTestDatabase, type TestDatabase } from '../../testing';

/** The crm_meta.js_* SQL functions (migration 0002) against JavaScript itself. */
let test: TestDatabase;
let database: Database;
let db: Kysely<unknown>;

beforeAll(async () => {
  test = await createTestDatabase();
  database = await openDatabase(test.options);
  db = database.db as unknown as Kysely<unknown>;
});

afterAll(async () => {
  await database?.close();
  await test?.drop();
});

const fromSql = (v: number | string | null) => (v === null ? Number.NaN : Number(v));

describe(`JavaScript conversions in SQL (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('js_to_number and js_parse_float agree with Number() and parseFloat()', async () => {
    const inputs = [
      '', ' ', '  7 ', '10', 'abc', '0x1A', '0X1a', '-0x1A', '0o17', '0b101', '0b2', '1e3', '1E+3', '1e-3', '.5', '5.', '.', '-.5',
      '+1', '+-1', 'Infinity', '-Infinity', '+Infinity', 'infinity', 'Infinityx', '1e400', '-1e400', '1e-400', '-1e-400',
      '\u00a0 42\u2028', '\ufeff1', '\u3000-3\u3000', '1_000', '12abc', '0.1', '1.7976931348623157e308', '1.7976931348623158e308',
      '1.7976931348623159e308', '2e308', '4.9e-324', '2.4703282292062328e-324', '2.4703282292062327e-324', `0x${'f'.repeat(300)}`,
      `0x${'f'.repeat(20)}`, '00012', '-0', '1e', '1e+', '\t\n', '١٢', `1${'0'.repeat(400)}`, `0.${'0'.repeat(400)}1`, '1e99999999999',
    ];
    for (const input of inputs) {
      const { rows } = await sql<{ n: number | null; p: number | null }>`
        select crm_meta.js_to_number(${input}) as n, crm_meta.js_parse_float(${input}) as p`.execute(db);
      expect(Object.is(fromSql(rows[0]!.n), Number(input)), `Number(${JSON.stringify(input)})`).toBe(true);
      expect(Object.is(fromSql(rows[0]!.p), parseFloat(input)), `parseFloat(${JSON.stringify(input)})`).toBe(true);
    }
  });

  it('js_number_to_string agrees with String(number)', async () => {
    const numbers = [
      0, -0, 1, -1, 1.5, 0.1, 0.1 + 0.2, 1e21, 1e20, 123456789012345680000, 1e-6, 1e-7, 1.5e-7, -1e-7, 5e-324, 1.7976931348623157e308,
      100, 1234.5678, 2 ** 53, 1 / 3, Number.NaN, Infinity, -Infinity, 12e-5, 0.000001234, 1e15, 1e16, 123e25,
    ];
    for (const n of numbers) {
      const { rows } = await sql<{ s: string }>`select crm_meta.js_number_to_string(${String(n)}::float8) as s`.execute(db);
      expect(rows[0]!.s, `String(${n})`).toBe(String(n));
    }
  });

  it('js_add, js_sub and js_mul overflow to Infinity and underflow to 0 as JavaScript does', async () => {
    const pairs: [number, number][] = [
      [1e308, 1e308], [-1e308, -1e308], [1e200, 1e200], [1e-200, 1e-200], [-1e-200, 1e-200], [1e-200, 1e-130],
      [Number.NaN, 1], [Infinity, 0], [Infinity, -Infinity], [3, 4], [0.1, 0.2],
    ];
    for (const [a, b] of pairs) {
      const { rows } = await sql<{ sum: number; difference: number; product: number }>`
        select crm_meta.js_add(${String(a)}::float8, ${String(b)}::float8) as sum,
               crm_meta.js_sub(${String(a)}::float8, ${String(b)}::float8) as difference,
               crm_meta.js_mul(${String(a)}::float8, ${String(b)}::float8) as product`.execute(db);
      const row = rows[0]!;
      expect(Object.is(Number(row.sum), a + b), `${a} + ${b}`).toBe(true);
      expect(Object.is(Number(row.difference), a - b), `${a} - ${b}`).toBe(true);
      expect(Object.is(Number(row.product), a * b), `${a} * ${b}`).toBe(true);
    }
  });
});
