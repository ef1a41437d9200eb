import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { preparedCompilations } from './prepared';
import type { RecordData } from './representation';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function seeded(): Promise<{ name: string; rows: RecordData[] }> {
  const { engine } = harness();
  const name = uniqueName('lead');
  await engine.objects.create(systemActor, {
    name,
    label: 'Lead',
    title_field: 'company',
    fields: [
      { name: 'company', type: 'text', label: 'Company', searchable: true },
      { name: 'score', type: 'integer', label: 'Score' },
      { name: 'amount', type: 'decimal', label: 'Amount' },
      { name: 'since', type: 'date', label: 'Since' },
      { name: 'tags', type: 'multiselect', label: 'Tags', options: [{ value: 'vip', label: 'VIP' }, { value: 'cold', label: 'Cold' }] },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New' }, { value: 'won', label: 'Won' }] },
      { name: 'double', type: 'formula', label: 'Double', expression: { '*': [{ var: 'score' }, 2] }, result_type: 'number' },
    ],
  });
  const rows: RecordData[] = [];
  for (let i = 0; i < 23; i++) {
    rows.push(
      await engine.records.create(systemActor, name, {
        company: i === 5 ? '100% Growth_Co' : `Company ${String(i).padStart(2, '0')}`,
        score: i % 4 === 0 ? null : i % 7,
        amount: i % 3 === 0 ? null : `${i}.5`,
        since: i % 5 === 0 ? null : `2024-0${(i % 9) + 1}-1${i % 10}`,
        tags: i % 2 ? ['vip'] : i % 3 ? ['cold', 'vip'] : null,
        stage: i % 2 ? 'won' : 'new',
      }),
    );
  }
  return { name, rows };
}

/** The order PostgreSQL gives: ascending with nulls last, descending with nulls first, then id. */
function expectedOrder(rows: RecordData[], keys: [string, 'asc' | 'desc'][]): unknown[] {
  const cmp = (a: unknown, b: unknown) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const na = Number(a);
    const nb = Number(b);
    if (typeof a === 'string' && /^-?\d+(\.\d+)?$/.test(a) && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  };
  return [...rows]
    .sort((x, y) => {
      for (const [field, direction] of [...keys, ['id', 'asc'] as [string, 'asc']]) {
        const a = x[field];
        const b = y[field];
        if (a === b) continue;
        if (a === null) return direction === 'asc' ? 1 : -1;
        if (b === null) return direction === 'asc' ? -1 : 1;
        const c = cmp(a, b);
        if (c !== 0) return direction === 'asc' ? c : -c;
      }
      return 0;
    })
    .map((r) => r.id);
}

describe('listing records', () => {
  it('pages through a multi-field sort with nulls by keyset cursor, visiting every record once', async () => {
    const { engine } = harness();
    const { name, rows } = await seeded();
    for (const keys of [
      [['score', 'desc'], ['since', 'asc']],
      [['amount', 'asc']],
      [['since', 'desc'], ['company', 'asc']],
    ] as [string, 'asc' | 'desc'][][]) {
      const sort = keys.map(([f, d]) => (d === 'desc' ? `-${f}` : f)).join(',');
      const seen: unknown[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await engine.records.list(systemActor, name, { sort, limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...page.data.map((r) => r.id));
        cursor = page.next_cursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(6);
      expect(seen, sort).toEqual(expectedOrder(rows, keys));
    }
  });

  it('filters in the database, including formulas, dates, multiselects and the current user', async () => {
    const { engine } = harness();
    const { name, rows } = await seeded();
    const ids = async (filter: unknown) => (await engine.records.list(systemActor, name, { filter, limit: 500 })).data.map((r) => r.id).sort();
    const expectIds = (pick: (r: RecordData) => boolean) => rows.filter(pick).map((r) => r.id).sort();
    expect(await ids({ '>': [{ var: 'score' }, 3] })).toEqual(expectIds((r) => (r.score as number) > 3));
    expect(await ids({ '>=': [{ var: 'double' }, 8] })).toEqual(expectIds((r) => (r.score as number) * 2 >= 8));
    expect(await ids({ '<': [{ var: 'since' }, '2024-03-01'] })).toEqual(expectIds((r) => r.since !== null && (r.since as string) < '2024-03-01'));
    expect(await ids({ in: ['vip', { var: 'tags' }] })).toEqual(expectIds((r) => Array.isArray(r.tags) && r.tags.includes('vip')));
    expect(await ids({ and: [{ '==': [{ var: 'stage' }, 'won'] }, { '!': { var: 'amount' } }] })).toEqual(
      expectIds((r) => r.stage === 'won' && r.amount === null),
    );
    expect(await ids({ '==': [{ var: 'owner_id' }, { var: '$user.id' }] })).toHaveLength(rows.length);
    const stranger = await engine.users.create(systemActor, { name: 'Stranger', roles: ['administrator'] });
    expect((await engine.records.list(userActor(stranger.id), name, { filter: { '==': [{ var: 'owner_id' }, { var: '$user.id' }] } })).data).toHaveLength(0);
  });

  it('refuses filters it cannot run in SQL, and filters on unknown fields, as bad input', async () => {
    const { engine } = harness();
    const { name } = await seeded();
    const untranslatable = await expectCrmError(
      engine.records.list(systemActor, name, { filter: { '>': [{ reduce: [{ var: 'tags' }, { '+': [{ var: 'accumulator' }, 1] }, 0] }, 1] } }),
      'filter_not_translatable',
    );
    expect(untranslatable.status).toBe(400);
    expect(untranslatable.message).toContain('reduce');
    const unknown = await expectCrmError(engine.records.list(systemActor, name, { filter: { '==': [{ var: 'nope' }, 1] } }), 'rule_invalid');
    expect(unknown.message).toContain('nope');
    await expectCrmError(engine.records.list(systemActor, name, { filter: { frobnicate: [1] } }), 'rule_invalid');
  });

  it('selects fields, searches text safely, counts, and validates paging input', async () => {
    const { engine } = harness();
    const { name, rows } = await seeded();
    const page = await engine.records.list(systemActor, name, { fields: ['company', 'double'], sort: 'company', limit: 2, count: true });
    expect(Object.keys(page.data[0]!).sort()).toEqual(['company', 'double', 'id']);
    expect(page.total).toBe(rows.length);
    expect(page.data[0]!.double === null || typeof page.data[0]!.double === 'number').toBe(true);
    const found = await engine.records.list(systemActor, name, { search: '100%' });
    expect(found.data.map((r) => r.company)).toEqual(['100% Growth_Co']);
    expect((await engine.records.list(systemActor, name, { search: 'growth_' })).data).toHaveLength(1);
    expect((await engine.records.list(systemActor, name, { search: '_' })).data).toHaveLength(1);
    await expectCrmError(engine.records.list(systemActor, name, { limit: 501 }), 'validation_failed');
    await expectCrmError(engine.records.list(systemActor, name, { limit: 0 }), 'validation_failed');
    await expectCrmError(engine.records.list(systemActor, name, { sort: 'nope' }), 'sort_invalid');
    await expectCrmError(engine.records.list(systemActor, name, { sort: 'tags' }), 'sort_invalid');
    await expectCrmError(engine.records.list(systemActor, name, { fields: ['nope'] }), 'validation_failed');
    const first = await engine.records.list(systemActor, name, { sort: 'company', limit: 2 });
    await expectCrmError(engine.records.list(systemActor, name, { sort: '-company', limit: 2, cursor: first.next_cursor! }), 'cursor_invalid');
    await expectCrmError(engine.records.list(systemActor, name, { cursor: 'garbage' }), 'cursor_invalid');
  });

  it('gives each call its own answer from cached statements: filter values, cursors, the current user, repeated past naming', async () => {
    const { engine } = harness();
    const { name, rows } = await seeded();
    const role = uniqueName('reader');
    await engine.roles.create(systemActor, { name: role, label: 'Reader', objects: { [name]: { read: true, read_scope: 'all' } } });
    const owners = [await engine.users.create(systemActor, { name: uniqueName('o1'), roles: [role] }), await engine.users.create(systemActor, { name: uniqueName('o2'), roles: [role] })];
    for (const [i, row] of rows.entries()) await engine.records.update(systemActor, name, row.id as string, { owner_id: owners[i % 2]!.id });
    // The same filter shape with other values, each run often enough to become a named statement.
    for (let round = 0; round < 4; round++) {
      for (const min of [0, 3, 5]) {
        const page = await engine.records.list(systemActor, name, { filter: { '>': [{ var: 'score' }, min] }, sort: 'company', limit: 100, count: true });
        const expected = rows.filter((r) => r.score !== null && (r.score as number) > min).map((r) => r.company);
        expect(page.data.map((r) => r.company)).toEqual([...expected].sort());
        expect(page.total).toBe(expected.length);
      }
    }
    // A filter on the current user is the caller's, never a cached other's.
    for (let round = 0; round < 4; round++) {
      for (const owner of owners) {
        const page = await engine.records.list(userActor(owner.id), name, { filter: { '==': [{ var: 'owner_id' }, { var: '$user.id' }] }, limit: 100 });
        const mine = rows.filter((_, i) => owners[i % 2] === owner).map((r) => r.id).sort();
        expect(page.data.map((r) => r.id).sort()).toEqual(mine);
      }
    }
    // Cursors of one cached shape, page after page, in both directions of a nullable sort.
    for (const sort of ['score', '-score', '-created_at']) {
      const seen: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page = await engine.records.list(systemActor, name, { sort, limit: 4, filter: { '!=': [{ var: 'stage' }, 'lost'] }, ...(cursor ? { cursor } : {}) });
        seen.push(...page.data.map((r) => r.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(rows.length);
      expect(new Set(seen).size).toBe(rows.length);
    }
  });

  it('runs filters that differ only in their constants as one statement, each with its own rows, whatever the type of the constant', async () => {
    const { engine } = harness();
    const { name, rows } = await seeded();
    // What json-logic-js answers on the records as rules see them.
    const expected = (filter: unknown) => rows.filter((r) => jsonLogic.truthy(jsonLogic.apply(filter as jsonLogic.RulesLogic, r))).map((r) => r.id).sort();
    const run = async (filter: unknown) => (await engine.records.list(systemActor, name, { filter, limit: 100, count: true })).data.map((r) => r.id).sort();
    const cases: [string, unknown[]][] = [
      ['==', [5, '5', 0, '0', '', 'x', null, 5.5, true]],
      ['===', [5, '5', null, 3]],
      ['<', [3, '3', null, -1, 'abc', 2.5]],
      ['>=', ['', 6, '6']],
    ];
    for (const [op, constants] of cases) {
      for (const constant of constants) {
        for (const filter of [{ [op]: [{ var: 'score' }, constant] }, { [op]: [constant, { var: 'company' }] }, { [op]: [{ var: 'since' }, constant] }]) {
          expect(await run(filter), JSON.stringify(filter)).toEqual(expected(filter));
        }
      }
    }
    // Lists of constants for `in`, and a date compared with dates and with other strings.
    for (const filter of [
      { in: [{ var: 'score' }, [1, 3, '5']] },
      { in: [{ var: 'score' }, ['1', 6]] },
      { in: [{ var: 'stage' }, ['won', 5]] },
      { '<': [{ var: 'since' }, '2024-05-01'] },
      { '<': [{ var: 'since' }, '2024-5-1'] },
      { '==': [{ var: 'since' }, '2024-02-11'] },
      { '==': [{ var: 'since' }, '2024-02-11T00:00:00.000Z'] },
    ]) {
      expect(await run(filter), JSON.stringify(filter)).toEqual(expected(filter));
    }

    // Another constant of the same type: the compiled statements are reused, not compiled again.
    for (const [first, ...others] of [
      [1, 2, 3, 4, 5, 6].map((min) => ({ '>': [{ var: 'score' }, min] })),
      ['won', 'new', 'lost'].map((stage) => ({ '!=': [{ var: 'stage' }, stage] })),
      ['2024-01-01', '2024-03-13', '2025-12-31'].map((day) => ({ '>=': [{ var: 'since' }, day] })),
    ]) {
      const before = preparedCompilations();
      expect(await run(first)).toEqual(expected(first));
      expect(preparedCompilations() - before).toBe(2); // the page and the count
      for (const filter of others) expect(await run(filter), JSON.stringify(filter)).toEqual(expected(filter));
      expect(preparedCompilations() - before).toBe(2);
    }
  });
});
