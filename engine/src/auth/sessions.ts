import { sql, type Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { newId } from '../metadata/ids';
import { AUTH_CHANNEL } from './invalidation';
import { hashToken, newSessionToken, randomSecret } from './secrets';

/** The browser-session rows (crm_meta.sessions). Only the token's SHA-256 is stored. */

export interface SessionInfo {
  readonly sessionId: string;
  readonly userId: string;
  /** Sent back by the browser in X-CSRF-Token on unsafe requests. */
  readonly csrfToken: string;
  /** ISO-8601, UTC. */
  readonly expiresAt: string;
}

export interface NewSession {
  readonly token: string;
  readonly hash: string;
  readonly session: SessionInfo;
}

export async function insertSession(
  db: Kysely<SystemDatabase>,
  userId: string,
  nowMs: number,
  lifetimeMs: number,
  meta: { readonly ip?: string | undefined; readonly userAgent?: string | undefined },
): Promise<NewSession> {
  const token = newSessionToken();
  const hash = hashToken(token);
  const session: SessionInfo = Object.freeze({
    sessionId: newId(),
    userId,
    csrfToken: randomSecret(),
    expiresAt: new Date(nowMs + lifetimeMs).toISOString(),
  });
  const now = new Date(nowMs).toISOString();
  await db
    .insertInto('crm_meta.sessions')
    .values({
      id: session.sessionId,
      token_hash: hash,
      user_id: userId,
      csrf_token: session.csrfToken,
      created_at: now,
      expires_at: session.expiresAt,
      last_seen_at: now,
      ip: meta.ip?.slice(0, 100) ?? null,
      user_agent: meta.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return { token, hash, session };
}

export interface StoredSession {
  readonly id: string;
  readonly user_id: string;
  readonly csrf_token: string;
  readonly expires_at: string;
  readonly user_active: boolean;
}

export async function findSession(db: Kysely<SystemDatabase>, hash: string): Promise<StoredSession | undefined> {
  return db
    .selectFrom('crm_meta.sessions as s')
    .innerJoin('crm_meta.users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id', 's.csrf_token', 's.expires_at', 'u.active as user_active'])
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
}

/** Deletes the session and announces it in one statement; the id, if there was one. */
export async function deleteSession(db: Kysely<SystemDatabase>, hash: string): Promise<string | undefined> {
  const result = await sql<{ id: string }>`
    with ended as (delete from crm_meta.sessions where token_hash = ${hash} returning id)
    select id, pg_notify(${AUTH_CHANNEL}, 'session:' || id::text) from ended`.execute(db);
  return result.rows[0]?.id;
}

/** Expired sessions are useless; a user's are cleared when they sign in again. */
export async function deleteExpiredSessions(db: Kysely<SystemDatabase>, userId: string, nowMs: number): Promise<void> {
  await db.deleteFrom('crm_meta.sessions').where('user_id', '=', userId).where('expires_at', '<=', new Date(nowMs).toISOString()).execute();
}
