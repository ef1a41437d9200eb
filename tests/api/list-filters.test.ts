import { describe, expect, it } from 'vitest';
import { compileCondition } from '@crm/engine/rules';
import { filterToLogic, logicToFilter, type KindOf } from '../../runtime-ui/src/filters/filter-logic';
import { ME, OPERATORS, type FilterCondition, type FilterKind } from '../../runtime-ui/src/filters/filter-tree';
import { uniqueName, useTestServer } from '../support/test-server';

/**
 * The list screen's filter builder against the real records API: every operator of every kind
 * produces a rule the API accepts (no `filter_not_translatable`), and the API returns exactly the
 * records the same rule selects when evaluated in JavaScript.
 */
const server = useTestServer();

const kinds: Record<string, FilterKind> = { title: 'text', amount: 'number', close_date: 'date', created_at: 'datetime', stage: 'select', tags: 'multiselect', hot: 'boolean', owner_id: 'reference' };
const kindOf: KindOf = (field) => kinds[field];

const today = new Date();
const iso = (days: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate() + days).toLocaleDateString('sv');

const operands: Record<FilterKind, readonly unknown[]> = {
  text: ['Deal', 'deal 1', 'Big'],
  number: ['100', 0, '2500.5'],
  date: [iso(0), iso(-40)],
  datetime: [iso(0), iso(-1)],
  select: [['new'], ['won', 'lost']],
  multiselect: [['a'], ['a', 'b']],
  boolean: [undefined],
  reference: [ME],
};

describe('filter builder rules on the records API', () => {
  it('every operator is accepted and selects what JavaScript selects', async () => {
    const { api, userId } = server();
    const object = uniqueName('deal');
    const created = await api('POST', '/api/meta/objects', {
      name: object,
      label: 'Deal',
      title_field: 'title',
      fields: [
        { name: 'title', type: 'text', label: 'Title' },
        { name: 'amount', type: 'currency', label: 'Amount', currency_code: 'CNY' },
        { name: 'close_date', type: 'date', label: 'Close' },
        { name: 'stage', type: 'select', label: 'Stage', options: ['new', 'won', 'lost'].map((value) => ({ value, label: value })) },
        { name: 'tags', type: 'multiselect', label: 'Tags', options: ['a', 'b', 'c'].map((value) => ({ value, label: value })) },
        { name: 'hot', type: 'boolean', label: 'Hot' },
      ],
    });
    expect(created.status).toBe(201);
    const rows = [
      { title: 'Deal 1', amount: '100', close_date: iso(0), stage: 'new', tags: ['a'], hot: true },
      { title: 'deal 10', amount: '2500.50', close_date: iso(-3), stage: 'won', tags: ['a', 'b'], hot: false },
      { title: 'Big deal', amount: '0', close_date: iso(-40), stage: 'lost', tags: ['c'] },
      { title: 'Dealer', close_date: iso(-400), stage: 'new' },
      {},
    ];
    for (const row of rows) expect((await api('POST', `/api/records/${object}`, row)).status).toBe(201);
    const all = (await api('GET', `/api/records/${object}?limit=100`)).body.data as Record<string, unknown>[];
    const context = { $user: { id: userId }, $today: new Date().toISOString().slice(0, 10), $now: new Date().toISOString() };

    let checked = 0;
    for (const [field, kind] of Object.entries(kinds)) {
      for (const operator of OPERATORS[kind]) {
        for (const value of operator === 'last_n_days' ? ['7'] : operands[kind]) {
          const to = operator === 'between' ? (kind === 'number' ? '3000' : iso(1)) : undefined;
          const condition: FilterCondition = { type: 'condition', field, operator, ...(value !== undefined ? { value } : {}), ...(to !== undefined ? { to } : {}) };
          const rule = filterToLogic({ type: 'group', join: 'and', children: [condition] }, kindOf);
          if (rule === undefined) continue;
          const response = await api('GET', `/api/records/${object}?limit=100&fields=id&filter=${encodeURIComponent(JSON.stringify(rule))}`);
          expect(response.status, `${field} ${operator} ${JSON.stringify(rule)}: ${JSON.stringify(response.body)}`).toBe(200);
          const test = compileCondition(rule as never);
          const expected = all.filter((record) => test({ ...record, ...context })).map((r) => r.id).sort();
          expect((response.body.data as { id: string }[]).map((r) => r.id).sort(), `${field} ${operator} ${JSON.stringify(rule)}`).toEqual(expected);
          expect(filterToLogic(logicToFilter(rule, kindOf), kindOf)).toEqual(rule);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
  });
});
