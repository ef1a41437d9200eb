import { describe, expect, it } from 'vitest';
import { changedFields } from './conflict';
import { nextSort, sortDirection, viewSort } from './list-state';

describe('list sort', () => {
  it('reads a view sort as the API parameter', () => {
    expect(viewSort({ sort: [{ field: 'amount', direction: 'desc' }, { field: 'title' }] })).toBe('-amount,title');
    expect(viewSort(undefined)).toBe('');
  });
  it('cycles a header: ascending, descending, back to the view', () => {
    expect(nextSort('-amount', 'title', '-amount')).toBe('title');
    expect(nextSort('title', 'title', '-amount')).toBe('-title');
    expect(nextSort('-title', 'title', '-amount')).toBe('-amount');
    expect(nextSort('-amount', 'amount', '-amount')).toBe('amount');
    expect(sortDirection('-amount,title', 'amount')).toBe('descend');
    expect(sortDirection('-amount,title', 'title')).toBeUndefined();
  });
});

describe('conflicts', () => {
  it('lists the fields changed meanwhile, not bookkeeping, references by id', () => {
    const before = { id: '1', version: 1, title: 'A', amount: '10.00', account: { id: 'a', name: 'Acme' }, tags: ['x'] };
    const after = { id: '1', version: 2, updated_at: 'now', title: 'B', amount: '10.00', account: 'a', tags: ['x', 'y'] };
    expect(changedFields(before, after, ['title', 'amount', 'account', 'tags', 'version', 'updated_at'])).toEqual(['title', 'tags']);
  });
});
