import { sql, type QueryExecutorProvider } from 'kysely';

/**
 * Cross-process invalidation of cached credentials. Whoever revokes a token, ends a session or
 * (de)activates a user sends NOTIFY on AUTH_CHANNEL in the same transaction as the change, so
 * every process hears of it right after commit (PGlite: in-process) and drops what it cached.
 * Payloads name ids, never token hashes.
 */
export const AUTH_CHANNEL = 'crm_auth';

export type AuthChange =
  | { readonly kind: 'session'; readonly id: string }
  | { readonly kind: 'token'; readonly id: string }
  /** Everything cached for the user: their active flag or password changed. */
  | { readonly kind: 'user'; readonly id: string }
  /** A listener reconnected and may have missed notifications. */
  | { readonly kind: 'all' };

export function encodeAuthChange(change: Exclude<AuthChange, { kind: 'all' }>): string {
  return `${change.kind}:${change.id}`;
}

/** Unknown or empty payloads clear everything: forgetting too much only costs a reload. */
export function decodeAuthChange(payload: string): AuthChange {
  const match = /^(session|token|user):([0-9a-f-]{36})$/i.exec(payload);
  if (!match) return { kind: 'all' };
  return { kind: match[1] as 'session' | 'token' | 'user', id: match[2]!.toLowerCase() };
}

/** Sends the notification inside the caller's transaction (delivered on commit). */
export async function notifyAuthChange(db: QueryExecutorProvider, change: Exclude<AuthChange, { kind: 'all' }>): Promise<void> {
  await sql`select pg_notify(${AUTH_CHANNEL}, ${encodeAuthChange(change)})`.execute(db);
}
