import { QueryClient } from '@tanstack/react-query';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listColumns } from './list-columns';
import { kindOfOffered, offeredFilterFields, prefetchListRows, rowsQueryOf } from './list-query';
import { readListState } from './list-state';
import { recordListOptions } from './use-record-list';

const field = (name: string, type = 'text'): ClientField => ({ name, type, label: name, mode: 'editable', system: false }) as unknown as ClientField;

function deal(read = true): ClientObject {
  return {
    name: 'deal',
    label: 'Deal',
    title_field: 'name',
    fields: [field('name'), field('notes'), field('amount', 'decimal')],
    layouts: [],
    views: [{ name: 'open', type: 'list', columns: ['name', 'amount'], sort: [{ field: 'amount', direction: 'desc' }], filter: { '==': [{ var: 'notes' }, 'x'] } }],
    validation_rules: [],
    server_only_rules: 0,
    approval_processes: [],
    permissions: { create: true, read, edit: true, delete: true, export: true, transfer: true, read_scope: 'all', edit_scope: 'all' },
  } as unknown as ClientObject;
}

afterEach(() => vi.unstubAllGlobals());

describe('the boot prefetch of a list', () => {
  it('fetches the first rows once, under the key the list screen asks for', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(JSON.stringify({ data: [{ id: '1', version: 1, name: 'A' }], total: 1, next_cursor: null }), { status: 200 });
    });
    const client = new QueryClient();
    const object = deal();
    const prefetched = prefetchListRows(client, { objects: [object] }, 'deal', '?q=acme', 'en');
    await prefetched?.rows;

    // What ListPage computes for the same URL.
    const kindOf = kindOfOffered(offeredFilterFields(object, [object], 'zh-CN'));
    const state = readListState(object, new URLSearchParams('?q=acme'), kindOf);
    const query = rowsQueryOf(object, state, listColumns(object, state.columns, [object], 'zh-CN'), kindOf);
    expect(client.getQueryData(recordListOptions(query).queryKey)).toMatchObject({ pages: [{ total: 1 }] });
    expect(fetched).toHaveLength(1);
    // The path it answers (the boot remembers it for early-fetch.js) is the one it asked for.
    expect(prefetched?.path).toBe(fetched[0]);
    const asked = new URL(fetched[0]!, 'http://x').searchParams;
    expect(Object.fromEntries(asked)).toMatchObject({ q: 'acme', sort: '-amount', count: 'true', fields: 'id,version,name,amount', limit: '100' });
    expect(JSON.parse(asked.get('filter')!)).toEqual({ '==': [{ var: 'notes' }, 'x'] });
  });

  it('asks nothing for an object the user may not read or that is not there', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const client = new QueryClient();
    expect(prefetchListRows(client, { objects: [deal(false)] }, 'deal', '', 'en')).toBeUndefined();
    expect(prefetchListRows(client, { objects: [deal()] }, 'other', '', 'en')).toBeUndefined();
    expect(fetch).not.toHaveBeenCalled();
  });
});
