import { LRUCache } from 'lru-cache';
import type { AuthChange } from './invalidation';

/** What a valid session or API token resolves to, cached by the token's hash. */
export interface CachedCredential<Info> {
  readonly kind: 'session' | 'token';
  readonly id: string;
  readonly userId: string;
  /** Epoch milliseconds; Infinity for API tokens without expiry. Checked on every use. */
  readonly expiresAtMs: number;
  /** Handed out as is on every hit (frozen), so a hit allocates nothing. */
  readonly info: Info;
  /** When this process last recorded use in the database (last_seen_at / last_used_at). */
  lastRecordedMs: number;
}

export interface CredentialCacheOptions {
  /** Valid credentials kept in memory (least recently used go first). */
  readonly maxEntries?: number;
  /** Hashes known not to be valid (unknown, revoked, expired), so repeated bad tokens cost no query. */
  readonly maxRejected?: number;
}

/**
 * The in-memory side of authentication: the hot path of every API request is one SHA-256 and one
 * lookup here. Bounded (LRU), and emptied selectively by AuthChange notifications.
 *
 * A load from the database can race with a revocation: a lookup reads the row, the revocation
 * commits and its notification arrives, then the lookup stores what it read. Every invalidation
 * therefore bumps an epoch, and a load only stores its result when the epoch is still the one it
 * started with. Notifications are sent on commit, so a load that starts after one arrived reads
 * the committed change.
 */
export class CredentialCache<Info extends object> {
  readonly #valid: LRUCache<string, CachedCredential<Info>>;
  /** Never holds a rejection that could become valid again (an inactive user's credentials). */
  readonly #rejected: LRUCache<string, true>;
  #epoch = 0;

  constructor(options: CredentialCacheOptions = {}) {
    this.#valid = new LRUCache({ max: options.maxEntries ?? 10_000 });
    this.#rejected = new LRUCache({ max: options.maxRejected ?? 10_000 });
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** The cached credential, `null` if the hash is known to be invalid, `undefined` if not cached. */
  lookup(hash: string): CachedCredential<Info> | null | undefined {
    const hit = this.#valid.get(hash);
    if (hit) return hit;
    return this.#rejected.has(hash) ? null : undefined;
  }

  /** Stores a load's result unless an invalidation happened since `epoch` (see the class comment). */
  remember(hash: string, credential: CachedCredential<Info>, epoch: number): void {
    if (epoch === this.#epoch) this.#valid.set(hash, credential);
  }

  /** For hashes that can never become valid: unknown, revoked, expired. */
  rememberRejected(hash: string, epoch: number): void {
    if (epoch === this.#epoch) this.#rejected.set(hash, true);
  }

  /** Drops one hash (an expired entry found on use). */
  drop(hash: string): void {
    this.#valid.delete(hash);
  }

  forget(change: AuthChange): void {
    this.#epoch += 1;
    if (change.kind === 'all') {
      this.#valid.clear();
      this.#rejected.clear();
      return;
    }
    // Invalidations are rare and the cache bounded: a scan is simpler than secondary indexes.
    const matches = (entry: CachedCredential<Info>) =>
      change.kind === 'user' ? entry.userId === change.id : entry.kind === change.kind && entry.id === change.id;
    const stale: string[] = [];
    for (const [hash, entry] of this.#valid.entries()) if (matches(entry)) stale.push(hash);
    for (const hash of stale) this.#valid.delete(hash);
  }

  get size(): number {
    return this.#valid.size;
  }
}
