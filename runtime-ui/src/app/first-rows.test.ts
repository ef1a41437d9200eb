import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetFirstRows, rememberFirstRows } from './first-rows';

/** What public/early-fetch.js reads: the stored JSON, by page. */
const stored = (storage: Map<string, string>) => JSON.parse(storage.get('crm.firstRows') ?? '{}') as Record<string, string>;

describe('the remembered first rows request of each list page', () => {
  let storage: Map<string, string>;
  beforeEach(() => {
    storage = new Map();
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the last path of each page, the twenty most recent pages, and forgets them all on sign-out', () => {
    rememberFirstRows('/o/deal', '/api/records/deal?limit=100');
    rememberFirstRows('/o/deal?view=mine', '/api/records/deal?limit=50');
    rememberFirstRows('/o/deal', '/api/records/deal?limit=100&sort=name');
    expect(stored(storage)).toEqual({ '/o/deal?view=mine': '/api/records/deal?limit=50', '/o/deal': '/api/records/deal?limit=100&sort=name' });

    for (let index = 0; index < 20; index += 1) rememberFirstRows(`/o/object${index}`, `/api/records/object${index}`);
    const pages = Object.keys(stored(storage));
    expect(pages).toHaveLength(20);
    expect(pages).not.toContain('/o/deal');
    expect(pages.at(-1)).toBe('/o/object19');

    forgetFirstRows();
    expect(storage.has('crm.firstRows')).toBe(false);
  });

  it('starts afresh from what it cannot read', () => {
    storage.set('crm.firstRows', '{not json');
    rememberFirstRows('/o/deal', '/api/records/deal');
    expect(stored(storage)).toEqual({ '/o/deal': '/api/records/deal' });
  });
});
