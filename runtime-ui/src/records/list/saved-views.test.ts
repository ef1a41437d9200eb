import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FilterGroup } from '../../filters/filter-tree';
import type { KindOf } from '../../filters/filter-logic';
import { definitionOf, filterTreeOf, moveLocalViews, sameJson } from './saved-views';

const kinds: Record<string, 'number' | 'date'> = { amount: 'number', closes_on: 'date' };
const kindOf: KindOf = (field) => kinds[field];
const thisMonth: FilterGroup = {
  type: 'group',
  join: 'and',
  children: [
    { type: 'condition', field: 'closes_on', operator: 'this_month' },
    { type: 'condition', field: 'amount', operator: 'gt', value: '100' },
  ],
};
const settings = { view: 'all', columns: ['title', 'amount'], sort: '-amount', filter: thisMonth, q: 'acme' };

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('saved views', () => {
  it('keep what the records API takes, and the builder tree it was made from', () => {
    const at = new Date(2026, 0, 15, 12);
    const definition = definitionOf(settings, kindOf, at);
    expect(definition).toEqual({
      view: 'all',
      columns: ['title', 'amount'],
      sort: '-amount',
      filter: { and: [{ '<=': ['2026-01-01', { var: 'closes_on' }, '2026-01-31'] }, { '>': [{ var: 'amount' }, 100] }] },
      filter_builder: { at: at.toISOString(), tree: thisMonth },
      q: 'acme',
    });
    expect(definitionOf({ ...settings, filter: { type: 'group', join: 'and', children: [] }, q: '', sort: '' }, kindOf)).toEqual({ view: 'all', columns: ['title', 'amount'] });
  });

  it('show relative dates relative while the tree still makes the stored filter, else the stored filter', () => {
    const definition = definitionOf(settings, kindOf, new Date(2026, 0, 15, 12));
    // Keys reordered as jsonb stores them: still the same filter.
    const reordered = { ...definition, filter: JSON.parse(JSON.stringify(definition.filter)) as unknown };
    expect(filterTreeOf(reordered, kindOf)).toEqual(thisMonth);
    // The server followed a rename of amount to value: the tree no longer makes the filter.
    const renamed = { ...definition, filter: { and: [{ '<=': ['2026-01-01', { var: 'closes_on' }, '2026-01-31'] }, { '>': [{ var: 'value' }, 100] }] } };
    const fallback = filterTreeOf(renamed, (field) => (field === 'value' ? 'number' : kindOf(field)));
    expect(fallback.children).toEqual([
      { type: 'condition', field: 'closes_on', operator: 'between', value: '2026-01-01', to: '2026-01-31' },
      { type: 'condition', field: 'value', operator: 'gt', value: 100 },
    ]);
    expect(filterTreeOf({ columns: ['title'] }, kindOf)).toEqual({ type: 'group', join: 'and', children: [] });
    expect(sameJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson([1], { 0: 1 })).toBe(false);
  });

  it('move the views kept in this browser to the server once, keeping them there when the server fails', async () => {
    vi.stubGlobal('document', { cookie: 'crm_csrf=token' });
    const storage = new MemoryStorage();
    const key = 'crm.saved-views.u1.deal';
    const local = [
      { id: 'a', name: 'Mine', columns: ['title'], sort: '-amount', filter: thisMonth },
      { id: 'b', name: 'Taken', columns: ['title'], sort: '', filter: { type: 'group', join: 'and', children: [] } },
      { id: 'c', name: 42, columns: [] },
    ];
    storage.setItem(key, JSON.stringify(local));
    const posted: unknown[] = [];
    let status = 500;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const body = JSON.parse(String(init.body)) as { name: string };
        posted.push(body);
        const code = body.name === 'Taken' ? 409 : status;
        return new Response(JSON.stringify(code === 201 ? { id: 'x' } : { error: { code: 'e', message: 'm', fields: [] } }), { status: code });
      }),
    );
    await moveLocalViews('u1', 'deal', kindOf, storage as unknown as Storage);
    expect(storage.getItem(key)).not.toBeNull();
    status = 201;
    posted.length = 0;
    await moveLocalViews('u1', 'deal', kindOf, storage as unknown as Storage);
    expect(posted).toMatchObject([
      { object: 'deal', name: 'Mine', definition: { columns: ['title'], sort: '-amount', filter_builder: { tree: thisMonth } } },
      { object: 'deal', name: 'Taken', definition: { columns: ['title'] } },
    ]);
    expect(storage.getItem(key)).toBeNull();
    posted.length = 0;
    await moveLocalViews('u1', 'deal', kindOf, storage as unknown as Storage);
    expect(posted).toEqual([]);
  });
});
