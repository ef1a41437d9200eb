import { assertActor, SYSTEM_USER_ID, type Actor } from '../actors';
import type { Database, Unlisten } from '../db/open-database';
import { crmErrorOf } from '../db/pg-errors';
import { CrmError, reason, validationError } from '../errors';
import { checkApiTokenInput, findApiToken, insertApiToken, listApiTokens, revokeApiToken, type ApiTokenSummary, type ApiTokenInput, type CreatedApiToken, type TokenInfo } from './api-tokens';
import { recordAudit } from '../db/audit-entries';
import { bootstrapAdmin, type BootstrapAdminOptions, type BootstrapAdminResult } from './bootstrap-admin';
import { CredentialCache, type CachedCredential, type CredentialCacheOptions } from './credential-cache';
import { storePassword, verifyCredentials, type SignedInUser } from './credentials';
import { AUTH_CHANNEL, decodeAuthChange, type AuthChange } from './invalidation';
import { checkPasswordPolicy, hashPassword } from './passwords';
import { hashToken, isApiTokenShaped, isSessionTokenShaped } from './secrets';
import { deleteExpiredSessions, deleteSession, findSession, insertSession, type SessionInfo } from './sessions';
import { UsageRecorder } from './usage-recorder';
import { isUuid } from '../metadata/ids';

export type { ApiTokenSummary, CreatedApiToken, TokenInfo } from './api-tokens';
export type { BootstrapAdminOptions, BootstrapAdminResult } from './bootstrap-admin';
export type { SignedInUser } from './credentials';
export type { SessionInfo } from './sessions';

export interface AuthServiceOptions {
  /**
   * How long a session lasts from sign-in. Fixed, not sliding: no write is needed to keep a
   * session alive, every process can check expiry from its cache alone, and a stolen cookie is
   * useful for at most this long. Default 12 hours (a working day).
   */
  readonly sessionLifetimeMs?: number;
  readonly cache?: CredentialCacheOptions;
  /** Least time between two last-used writes for one session or token in a process. Default 60 s. */
  readonly usageWriteIntervalMs?: number;
  /** Failures of background work (last-used writes). Default: console.error. */
  readonly onBackgroundError?: (error: unknown) => void;
  /** The clock, in epoch milliseconds (tests move it). */
  readonly now?: () => number;
}

export interface SignInMeta {
  readonly ip?: string | undefined;
  readonly userAgent?: string | undefined;
}

export interface SignInResult {
  /** The raw session token: the cookie value. Not stored anywhere on the server. */
  readonly token: string;
  readonly session: SessionInfo;
  readonly user: SignedInUser;
}

export const DEFAULT_SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * Who a request is: passwords, browser sessions and API tokens. No HTTP here (cookies, headers
 * and CSRF checks are the server's). authenticateSession and authenticateToken run on every API
 * request, so they answer from memory: valid credentials are cached by token hash, dropped when
 * another process announces a change on AUTH_CHANNEL, and their expiry is checked on every use.
 */
export class AuthService {
  readonly #sessions: CredentialCache<SessionInfo>;
  readonly #tokens: CredentialCache<TokenInfo>;
  readonly #sessionLoads = new Map<string, Promise<CachedCredential<SessionInfo> | undefined>>();
  readonly #tokenLoads = new Map<string, Promise<CachedCredential<TokenInfo> | undefined>>();
  readonly #usage: UsageRecorder;
  readonly #sessionLifetimeMs: number;
  readonly #now: () => number;
  #unlisten: Unlisten | undefined;

  constructor(
    private readonly database: Database,
    options: AuthServiceOptions = {},
  ) {
    this.#sessions = new CredentialCache(options.cache);
    this.#tokens = new CredentialCache(options.cache);
    this.#sessionLifetimeMs = options.sessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS;
    this.#now = options.now ?? Date.now;
    const onError = options.onBackgroundError ?? ((error: unknown) => console.error('crm auth: recording last use failed', error));
    this.#usage = new UsageRecorder(database.db, options.usageWriteIntervalMs ?? 60_000, onError);
  }

  /** Subscribes to invalidations from other processes; createEngine calls it. */
  async start(): Promise<void> {
    this.#unlisten ??= await this.database.listen(AUTH_CHANNEL, (payload) => this.#forget(decodeAuthChange(payload)));
  }

  /** Unsubscribes and waits for background writes, before the database closes. */
  async stop(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.().catch(() => {});
    await this.#usage.flush();
  }

  // --- Sessions ---------------------------------------------------------------------------------

  /** Checks email and password and opens a session; invalid_credentials for every kind of failure. */
  async signIn(email: string, password: string, meta: SignInMeta = {}): Promise<SignInResult> {
    const epoch = this.#sessions.epoch;
    let user: Awaited<ReturnType<typeof verifyCredentials>>;
    try {
      user = await verifyCredentials(this.database.db, email, password);
    } catch (error) {
      // The attempted email is kept (trimmed, bounded): repeated failures against one account are what an administrator looks for.
      await recordAudit(this.database.db, { actorId: null, event: 'sign_in_failed', subject: String(email).trim().slice(0, 254), ip: meta.ip ?? null });
      throw error;
    }
    const now = this.#now();
    await deleteExpiredSessions(this.database.db, user.id, now);
    const { token, hash, session } = await insertSession(this.database.db, user.id, now, this.#sessionLifetimeMs, meta);
    // Cached at once: the browser's next request needs no query. Skipped if the user was
    // (de)activated meanwhile (epoch), so that request reloads and sees it.
    this.#sessions.remember(hash, { kind: 'session', id: session.sessionId, userId: user.id, expiresAtMs: Date.parse(session.expiresAt), info: session, lastRecordedMs: now }, epoch);
    await recordAudit(this.database.db, { actorId: user.id, event: 'sign_in', subject: user.id, ip: meta.ip ?? null, details: { session_id: session.sessionId } });
    return { token, session, user };
  }

  /** The session a raw session token belongs to, or null (unknown, signed out, expired, inactive user). */
  async authenticateSession(rawToken: string): Promise<SessionInfo | null> {
    if (typeof rawToken !== 'string' || !isSessionTokenShaped(rawToken)) return null;
    const hash = hashToken(rawToken);
    const cached = this.#sessions.lookup(hash);
    if (cached === null) return null;
    return this.#admit(this.#sessions, hash, cached ?? (await this.#loadSession(hash)));
  }

  /** Ends the session of a raw session token, in every process. Unknown tokens are ignored. */
  async signOut(rawToken: string): Promise<void> {
    if (typeof rawToken !== 'string' || !isSessionTokenShaped(rawToken)) return;
    const hash = hashToken(rawToken);
    const id = await deleteSession(this.database.db, hash);
    this.#sessions.drop(hash);
    if (id) {
      this.#forget({ kind: 'session', id });
      await recordAudit(this.database.db, { actorId: null, event: 'sign_out', subject: id });
    }
  }

  // --- API tokens -------------------------------------------------------------------------------

  /** A new API token for the actor's own user; the raw token is in the result, and only there. */
  async createToken(actor: Actor, input: ApiTokenInput): Promise<CreatedApiToken> {
    const userId = tokenOwner(actor);
    // A limited token must not be able to mint an unlimited one.
    if (actor.kind === 'user' && actor.scopes) throw new CrmError('forbidden', { action: 'create', subject: reason('subject_tokens_from_limited_token') });
    const checked = checkApiTokenInput(input, this.#now());
    try {
      const created = await insertApiToken(this.database.db, userId, checked, this.#now());
      await recordAudit(this.database.db, { actorId: userId, event: 'token_created', subject: created.id, details: { name: created.name, scopes: created.scopes, expires_at: created.expires_at } });
      return created;
    } catch (error) {
      throw crmErrorOf(error, { reference: (_pg, cause) => new CrmError('actor_invalid', {}, [], { cause }) });
    }
  }

  /** The actor's tokens that are not revoked: names and prefixes, never the secret or its hash. */
  async listTokens(actor: Actor): Promise<ApiTokenSummary[]> {
    return listApiTokens(this.database.db, tokenOwner(actor));
  }

  /** Revokes one of the actor's own tokens, in every process at once; token_not_found otherwise. */
  async revokeToken(actor: Actor, id: string): Promise<void> {
    const userId = tokenOwner(actor);
    await revokeApiToken(this.database.db, userId, id, this.#now());
    this.#forget({ kind: 'token', id: id.toLowerCase() });
    await recordAudit(this.database.db, { actorId: userId, event: 'token_revoked', subject: id.toLowerCase() });
  }

  /** The token a raw API token is, or null (unknown, revoked, expired, inactive user). */
  async authenticateToken(raw: string): Promise<TokenInfo | null> {
    const known = this.knownToken(raw);
    if (known !== undefined) return known;
    const hash = hashToken(raw);
    return this.#admit(this.#tokens, hash, await this.#loadToken(hash));
  }

  /**
   * authenticateToken answered from memory, without a promise: the same answer when the token's
   * hash is cached (valid or rejected) or its shape rules it out; undefined when only the
   * database can tell (then call authenticateToken). The server's auth hook runs on every
   * request and takes this path for all but a token's first use.
   */
  knownToken(raw: string): TokenInfo | null | undefined {
    if (typeof raw !== 'string' || !isApiTokenShaped(raw)) return null;
    const hash = hashToken(raw);
    const cached = this.#tokens.lookup(hash);
    if (cached === undefined) return undefined;
    return cached === null ? null : this.#admit(this.#tokens, hash, cached);
  }

  // --- Passwords and accounts -------------------------------------------------------------------

  /**
   * Sets a user's password (at least MIN_PASSWORD_LENGTH characters) and ends their sessions.
   * A user may set only their own; the system actor anyone's.
   */
  async setPassword(actor: Actor, userId: string, password: string): Promise<void> {
    assertActor(actor);
    if (typeof userId !== 'string' || !isUuid(userId)) throw new CrmError('user_not_found', { id: String(userId) });
    const id = userId.toLowerCase();
    if (actor.kind === 'user' && actor.userId !== id && !(await this.#isAdmin(actor))) {
      throw new CrmError('forbidden', { action: 'administer', subject: reason('subject_other_passwords') });
    }
    if (id === SYSTEM_USER_ID) throw validationError([{ path: 'user_id', code: 'invalid', params: { reason: reason('system_user_sign_in') } }]);
    const passwordHash = await hashPassword(checkPasswordPolicy(password));
    await this.database.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('crm_meta.users').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!user) throw new CrmError('user_not_found', { id });
      await storePassword(trx, id, passwordHash, this.#now());
      await recordAudit(trx, { actorId: actor.kind === 'user' ? actor.userId : null, event: 'password_changed', subject: id });
    });
    this.#forget({ kind: 'user', id });
  }

  /** A signed-in user changing their own password proves they know the current one. */
  async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const userId = tokenOwner(actor);
    const user = await this.database.db.selectFrom('crm_meta.users').select('email').where('id', '=', userId).executeTakeFirst();
    try {
      await verifyCredentials(this.database.db, user?.email ?? '', String(currentPassword));
    } catch (error) {
      if (error instanceof CrmError && error.code === 'invalid_credentials') {
        throw validationError([{ path: 'current_password', code: 'invalid', params: { reason: reason('not_current_password') } }]);
      }
      throw error;
    }
    await this.setPassword(actor, userId, newPassword);
  }

  /** Lets administrators set other users' passwords (the access layer is built after this service). */
  useAdministration(isAdmin: (actor: Actor) => Promise<boolean>): void {
    this.#isAdmin = isAdmin;
  }

  #isAdmin: (actor: Actor) => Promise<boolean> = async () => false;

  /** Gives a fresh installation its first account that can sign in (see bootstrap-admin.ts). */
  async bootstrapAdmin(options: BootstrapAdminOptions = {}): Promise<BootstrapAdminResult> {
    return bootstrapAdmin(this.database.db, options, this.#now());
  }

  /**
   * Drops what this process cached for a user. The users service calls it right after changing
   * `active`, so the change holds in this process before the call returns; other processes learn
   * it from the NOTIFY sent in the same transaction.
   */
  forgetUser(userId: string): void {
    this.#forget({ kind: 'user', id: userId.toLowerCase() });
  }

  // --- Internals --------------------------------------------------------------------------------

  #admit<Info extends object>(cache: CredentialCache<Info>, hash: string, entry: CachedCredential<Info> | undefined): Info | null {
    if (!entry) return null;
    const now = this.#now();
    if (entry.expiresAtMs <= now) {
      cache.drop(hash);
      cache.rememberRejected(hash, cache.epoch);
      return null;
    }
    this.#usage.noteUse(entry, now);
    return entry.info;
  }

  #forget(change: AuthChange): void {
    if (change.kind !== 'token') this.#sessions.forget(change);
    if (change.kind !== 'session') this.#tokens.forget(change);
  }

  #loadSession(hash: string): Promise<CachedCredential<SessionInfo> | undefined> {
    return loadOnce(this.#sessionLoads, hash, async () => {
      const epoch = this.#sessions.epoch;
      const row = await findSession(this.database.db, hash);
      if (!row) {
        this.#sessions.rememberRejected(hash, epoch);
        return undefined;
      }
      // Not remembered as rejected: the user may be activated again.
      if (!row.user_active) return undefined;
      const info: SessionInfo = Object.freeze({ sessionId: row.id, userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at });
      const entry = { kind: 'session' as const, id: row.id, userId: row.user_id, expiresAtMs: Date.parse(row.expires_at), info, lastRecordedMs: 0 };
      this.#sessions.remember(hash, entry, epoch);
      return entry;
    });
  }

  #loadToken(hash: string): Promise<CachedCredential<TokenInfo> | undefined> {
    return loadOnce(this.#tokenLoads, hash, async () => {
      const epoch = this.#tokens.epoch;
      const row = await findApiToken(this.database.db, hash);
      if (!row || row.revoked_at !== null) {
        this.#tokens.rememberRejected(hash, epoch);
        return undefined;
      }
      if (!row.user_active) return undefined;
      const info: TokenInfo = Object.freeze(row.scopes ? { tokenId: row.id, userId: row.user_id, scopes: row.scopes as TokenInfo['scopes'] } : { tokenId: row.id, userId: row.user_id });
      const expiresAtMs = row.expires_at === null ? Number.POSITIVE_INFINITY : Date.parse(row.expires_at);
      const entry = { kind: 'token' as const, id: row.id, userId: row.user_id, expiresAtMs, info, lastRecordedMs: 0 };
      this.#tokens.remember(hash, entry, epoch);
      return entry;
    });
  }
}

/** API tokens belong to users; the system actor has no account to own one. */
function tokenOwner(actor: Actor): string {
  assertActor(actor);
  if (actor.kind !== 'user') {
    throw validationError([{ path: 'actor', code: 'invalid', params: { reason: reason('system_actor_token') } }]);
  }
  return actor.userId;
}

/** Concurrent misses for one hash share a single query (a burst of requests with a new token). */
function loadOnce<T>(inFlight: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running) return running;
  const started = load().finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}
