import { describe, expect, it } from 'vitest';
import { CredentialCache, type CachedCredential } from './credential-cache';
import { decodeAuthChange, encodeAuthChange } from './invalidation';

function entry(kind: 'session' | 'token', id: string, userId: string): CachedCredential<{ id: string }> {
  return { kind, id, userId, expiresAtMs: Number.POSITIVE_INFINITY, info: { id }, lastRecordedMs: 0 };
}

describe('credential cache', () => {
  it('is bounded: the least recently used entries go first', () => {
    const cache = new CredentialCache<{ id: string }>({ maxEntries: 2 });
    cache.remember('a', entry('token', '1', 'u'), cache.epoch);
    cache.remember('b', entry('token', '2', 'u'), cache.epoch);
    cache.lookup('a');
    cache.remember('c', entry('token', '3', 'u'), cache.epoch);
    expect(cache.lookup('a')).toBeDefined();
    expect(cache.lookup('b')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('does not store a load that raced with an invalidation', () => {
    const cache = new CredentialCache<{ id: string }>();
    const epoch = cache.epoch; // a load starts
    cache.forget({ kind: 'token', id: '1' }); // the revocation arrives meanwhile
    cache.remember('a', entry('token', '1', 'u'), epoch);
    cache.rememberRejected('b', epoch);
    expect(cache.lookup('a')).toBeUndefined();
    expect(cache.lookup('b')).toBeUndefined();
  });

  it('forgets by id, by user, or everything', () => {
    const cache = new CredentialCache<{ id: string }>();
    cache.remember('a', entry('token', '1', 'ann'), cache.epoch);
    cache.remember('b', entry('token', '2', 'ann'), cache.epoch);
    cache.remember('c', entry('token', '3', 'bob'), cache.epoch);
    cache.rememberRejected('x', cache.epoch);
    cache.forget({ kind: 'token', id: '1' });
    expect([cache.lookup('a'), cache.lookup('b')?.id]).toEqual([undefined, '2']);
    cache.forget({ kind: 'user', id: 'ann' });
    expect([cache.lookup('b'), cache.lookup('c')?.id, cache.lookup('x')]).toEqual([undefined, '3', null]);
    cache.forget({ kind: 'all' });
    expect([cache.lookup('c'), cache.lookup('x')]).toEqual([undefined, undefined]);
  });

  it('reads notification payloads, treating anything unknown (a reconnect\'s empty payload) as "everything"', () => {
    const id = '01890000-0000-7000-8000-00000000000a';
    expect(decodeAuthChange(encodeAuthChange({ kind: 'token', id }))).toEqual({ kind: 'token', id });
    expect(decodeAuthChange(`user:${id.toUpperCase()}`)).toEqual({ kind: 'user', id });
    expect(decodeAuthChange('')).toEqual({ kind: 'all' });
    expect(decodeAuthChange('token:nope')).toEqual({ kind: 'all' });
  });
});
