import { compileCondition } from '@crm/engine/core';
import { describe, expect, it } from 'vitest';
import { filterToLogic, logicToFilter, relativeRange, type KindOf } from './filter-logic';
import { ME, type FilterCondition, type FilterGroup, type FilterKind } from './filter-tree';

const kinds: Record<string, FilterKind> = {
  name: 'text', amount: 'number', close_date: 'date', created_at: 'datetime', stage: 'select', tags: 'multiselect', active: 'boolean', owner_id: 'reference', account: 'reference',
};
const kindOf: KindOf = (field) => kinds[field];
const c = (field: string, operator: FilterCondition['operator'], value?: unknown, to?: unknown): FilterCondition => ({ type: 'condition', field, operator, ...(value !== undefined ? { value } : {}), ...(to !== undefined ? { to } : {}) });
const and = (...children: FilterGroup['children']): FilterGroup => ({ type: 'group', join: 'and', children });
const or = (...children: FilterGroup['children']): FilterGroup => ({ type: 'group', join: 'or', children });
// Wednesday 2026-05-13, local noon.
const now = new Date(2026, 4, 13, 12, 0, 0);
const logic = (tree: FilterGroup) => filterToLogic(tree, kindOf, { now });

describe('filterToLogic', () => {
  it('is undefined for an empty tree or only incomplete conditions', () => {
    expect(logic(and())).toBeUndefined();
    expect(logic(and(c('name', 'contains', ''), c('amount', 'between', 1)))).toBeUndefined();
  });

  it('writes text operators the SQL translation accepts (no substr), ignoring ASCII case', () => {
    const name = { lower: { var: 'name' } };
    expect(logic(and(c('name', 'contains', 'hua')))).toEqual({ in: ['hua', name] });
    expect(logic(and(c('name', 'contains', 'ACME Corp')))).toEqual({ in: ['acme corp', name] });
    // Only A-Z fold, as the engine's lower does in SQL too.
    expect(logic(and(c('name', 'contains', 'École ÄB 华信')))).toEqual({ in: ['École Äb 华信', name] });
    expect(logic(and(c('name', 'not_contains', 'Hua')))).toEqual({ '!': { in: ['hua', name] } });
    expect(logic(and(c('name', 'starts_with', 'AB')))).toEqual({ and: [{ '<=': ['ab', name] }, { '<': [name, 'ac'] }] });
    expect(logic(and(c('name', 'equals', 'x')))).toEqual({ '==': [{ var: 'name' }, 'x'] });
    expect(logic(and(c('name', 'empty')))).toEqual({ '==': [{ var: 'name' }, null] });
  });

  it('keeps conditions saved before case was ignored case-sensitive (matchCase)', () => {
    const old = (operator: FilterCondition['operator'], value: string): FilterCondition => ({ ...c('name', operator, value), matchCase: true });
    expect(logic(and(old('contains', 'Hua')))).toEqual({ in: ['Hua', { var: 'name' }] });
    expect(logic(and(old('not_contains', 'Hua')))).toEqual({ '!': { in: ['Hua', { var: 'name' }] } });
    expect(logic(and(old('starts_with', 'Ab')))).toEqual({ and: [{ '<=': ['Ab', { var: 'name' }] }, { '<': [{ var: 'name' }, 'Ac'] }] });
  });

  it('finds "ACME Corp" by "contains acme" when the rule runs (compiled by the engine)', () => {
    const matches = (tree: FilterGroup, name: string | null) => compileCondition(logic(tree))({ name });
    expect(matches(and(c('name', 'contains', 'acme')), 'ACME Corp')).toBe(true);
    expect(matches(and(c('name', 'contains', 'Corp')), 'acme corp')).toBe(true);
    expect(matches(and(c('name', 'contains', 'acme')), null)).toBe(false);
    expect(matches(and(c('name', 'not_contains', 'acme')), null)).toBe(true);
    expect(matches(and(c('name', 'starts_with', 'ac')), 'ACME')).toBe(true);
    expect(matches(and(c('name', 'starts_with', 'cm')), 'ACME')).toBe(false);
    expect(matches(and(c('name', 'contains', 'école')), 'ÉCOLE')).toBe(false);
  });

  it('writes numbers as numbers and ranges as the three-argument <=', () => {
    expect(logic(and(c('amount', 'gt', '500000')))).toEqual({ '>': [{ var: 'amount' }, 500000] });
    expect(logic(and(c('amount', 'between', '10', 20)))).toEqual({ '<=': [10, { var: 'amount' }, 20] });
    expect(logic(and(c('amount', 'gt', 'abc')))).toBeUndefined();
  });

  it('nests and/or groups', () => {
    expect(logic(and(c('stage', 'in', ['won']), or(c('amount', 'gte', 1), c('owner_id', 'equals', ME))))).toEqual({
      and: [{ in: [{ var: 'stage' }, ['won']] }, { or: [{ '>=': [{ var: 'amount' }, 1] }, { '==': [{ var: 'owner_id' }, { var: '$user.id' }] }] }],
    });
  });

  it('selects: in / not in; multiselects by membership', () => {
    expect(logic(and(c('stage', 'not_in', ['won', 'lost'])))).toEqual({ '!': { in: [{ var: 'stage' }, ['won', 'lost']] } });
    expect(logic(and(c('tags', 'in', ['a', 'b'])))).toEqual({ or: [{ in: ['a', { var: 'tags' }] }, { in: ['b', { var: 'tags' }] }] });
    expect(logic(and(c('tags', 'not_in', ['a'])))).toEqual({ '!': { in: ['a', { var: 'tags' }] } });
  });

  it('booleans and "me"', () => {
    expect(logic(and(c('active', 'is_true')))).toEqual({ '==': [{ var: 'active' }, true] });
    expect(logic(and(c('owner_id', 'not_equals', ME)))).toEqual({ '!=': [{ var: 'owner_id' }, { var: '$user.id' }] });
  });

  it('relative dates as literal local ranges, today as $today', () => {
    expect(logic(and(c('close_date', 'today')))).toEqual({ '==': [{ var: 'close_date' }, { var: '$today' }] });
    expect(logic(and(c('close_date', 'this_month')))).toEqual({ '<=': ['2026-05-01', { var: 'close_date' }, '2026-05-31'] });
    expect(logic(and(c('close_date', 'last_month')))).toEqual({ '<=': ['2026-04-01', { var: 'close_date' }, '2026-04-30'] });
    expect(logic(and(c('close_date', 'this_quarter')))).toEqual({ '<=': ['2026-04-01', { var: 'close_date' }, '2026-06-30'] });
    expect(logic(and(c('close_date', 'this_year')))).toEqual({ '<=': ['2026-01-01', { var: 'close_date' }, '2026-12-31'] });
    expect(logic(and(c('close_date', 'this_week')))).toEqual({ '<=': ['2026-05-11', { var: 'close_date' }, '2026-05-17'] });
    expect(logic(and(c('close_date', 'last_n_days', '7')))).toEqual({ '<=': ['2026-05-07', { var: 'close_date' }, '2026-05-13'] });
    expect(relativeRange('this_week', undefined, { now, weekStartsOn: 0 })!.map((d) => d.format('YYYY-MM-DD'))).toEqual(['2026-05-10', '2026-05-16']);
  });

  it('datetimes compare with the instants of local day boundaries', () => {
    const rule = logic(and(c('created_at', 'today'))) as { and: [{ '>=': [unknown, string] }, { '<': [unknown, string] }] };
    expect(new Date(rule.and[0]['>='][1]).getTime()).toBe(new Date(2026, 4, 13).getTime());
    expect(new Date(rule.and[1]['<'][1]).getTime()).toBe(new Date(2026, 4, 14).getTime());
  });
});

describe('logicToFilter', () => {
  const roundTrip = (rule: unknown) => expect(filterToLogic(logicToFilter(rule, kindOf), kindOf, { now })).toEqual(rule);

  it('reads the demo views filters as conditions', () => {
    expect(logicToFilter({ '==': [{ var: 'owner_id' }, { var: '$user.id' }] }, kindOf)).toEqual(and(c('owner_id', 'equals', ME)));
    expect(logicToFilter({ '!': { in: [{ var: 'stage' }, ['won', 'lost']] } }, kindOf)).toEqual(and(c('stage', 'not_in', ['won', 'lost'])));
    expect(logicToFilter({ '>': [{ var: 'amount' }, 500000] }, kindOf)).toEqual(and(c('amount', 'gt', 500000)));
  });

  it('reads text conditions of both forms: ignoring case, and the case-sensitive one saved before', () => {
    const name = { lower: { var: 'name' } };
    expect(logicToFilter({ in: ['hua', name] }, kindOf)).toEqual(and(c('name', 'contains', 'hua')));
    expect(logicToFilter({ '!': { in: ['hua', name] } }, kindOf)).toEqual(and(c('name', 'not_contains', 'hua')));
    expect(logicToFilter({ and: [{ '<=': ['ab', name] }, { '<': [name, 'ac'] }] }, kindOf)).toEqual(and(c('name', 'starts_with', 'ab')));
    expect(logicToFilter({ in: ['Hua', { var: 'name' }] }, kindOf)).toEqual(and({ ...c('name', 'contains', 'Hua'), matchCase: true }));
    expect(logicToFilter({ '!': { in: ['Hua', { var: 'name' }] } }, kindOf)).toEqual(and({ ...c('name', 'not_contains', 'Hua'), matchCase: true }));
    expect(logicToFilter({ and: [{ '<=': ['Ab', { var: 'name' }] }, { '<': [{ var: 'name' }, 'Ac'] }] }, kindOf)).toEqual(and({ ...c('name', 'starts_with', 'Ab'), matchCase: true }));
    // Not a form the builder writes: an upper-case needle can never be found in a folded value.
    expect(logicToFilter({ in: ['Hua', name] }, kindOf).children[0]!.type).toBe('raw');
    expect(logicToFilter({ in: ['a', { lower: { var: 'tags' } }] }, kindOf).children[0]!.type).toBe('raw');
    expect(logicToFilter({ in: ['a', { lower: [{ var: 'name' }, 1] }] }, kindOf).children[0]!.type).toBe('raw');
  });

  it('round-trips every form it writes', () => {
    for (const rule of [
      { in: ['hua', { lower: { var: 'name' } }] },
      { '!': { in: ['hua', { lower: { var: 'name' } }] } },
      { and: [{ '<=': ['ab', { lower: { var: 'name' } }] }, { '<': [{ lower: { var: 'name' } }, 'ac'] }] },
      { in: ['Hua', { var: 'name' }] },
      { '!': { in: ['hua', { var: 'name' }] } },
      { and: [{ '<=': ['Ab', { var: 'name' }] }, { '<': [{ var: 'name' }, 'Ac'] }] },
      { '<=': [10, { var: 'amount' }, 20] },
      { or: [{ in: ['a', { var: 'tags' }] }, { in: ['b', { var: 'tags' }] }] },
      { '==': [{ var: 'active' }, false] },
      { '!=': [{ var: 'account' }, null] },
      { '==': [{ var: 'close_date' }, { var: '$today' }] },
      { and: [{ in: [{ var: 'stage' }, ['won']] }, { or: [{ '>=': [{ var: 'amount' }, 1] }, { '==': [{ var: 'owner_id' }, { var: '$user.id' }] }] }] },
      { and: [{ '>=': [{ var: 'created_at' }, '2026-05-12T16:00:00.000Z'] }, { '<': [{ var: 'created_at' }, '2026-05-13T16:00:00.000Z'] }] },
    ]) roundTrip(rule);
  });

  it('keeps what it cannot show as raw parts, applied as they are', () => {
    const odd = { '>': [{ '+': [{ var: 'amount' }, 1] }, 5] };
    expect(logicToFilter(odd, kindOf)).toEqual(and({ type: 'raw', logic: odd }));
    roundTrip({ and: [odd, { '==': [{ var: 'name' }, 'x'] }] });
    expect(logicToFilter({ '==': [{ var: 'unknown' }, 1] }, kindOf).children[0]!.type).toBe('raw');
  });
});
