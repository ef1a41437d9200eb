import type { Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import type { CachedCredential } from './credential-cache';

/**
 * Records when a session or token was last used (sessions.last_seen_at, api_tokens.last_used_at)
 * without slowing the request: at most once per interval per credential in this process, as a
 * fire-and-forget UPDATE whose failure is reported to `onError` and never reaches the request.
 * The UPDATE also skips rows another process touched within the interval.
 */
export class UsageRecorder {
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  noteUse(credential: CachedCredential<object>, nowMs: number): void {
    if (nowMs - credential.lastRecordedMs < this.intervalMs) return;
    credential.lastRecordedMs = nowMs;
    const at = new Date(nowMs).toISOString();
    const before = new Date(nowMs - this.intervalMs).toISOString();
    const write =
      credential.kind === 'token'
        ? this.db
            .updateTable('crm_meta.api_tokens')
            .set({ last_used_at: at })
            .where('id', '=', credential.id)
            .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', before)]))
        : this.db.updateTable('crm_meta.sessions').set({ last_seen_at: at }).where('id', '=', credential.id).where('last_seen_at', '<=', before);
    const pending: Promise<void> = write
      .execute()
      .then(
        () => undefined,
        (error: unknown) => this.onError(error),
      )
      .finally(() => this.#pending.delete(pending));
    this.#pending.add(pending);
  }

  /** Waits for writes in flight (before the database closes). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }
}
