import { sql, type Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, reason, validationError, type FieldIssue } from '../errors';
import { isUuid, newId } from '../metadata/ids';
import { AUTH_CHANNEL } from './invalidation';
import { hashToken, newApiToken } from './secrets';
import { OPERATIONS, type TokenScopes } from '../security/permissions';
import type { ApiTokenSummary as CoreApiTokenSummary, CreatedApiToken as CoreCreatedApiToken } from '../core/api-token-types';

/** API token rows (crm_meta.api_tokens): long-lived bearer credentials a user creates for scripts. */

export interface TokenInfo {
  readonly tokenId: string;
  readonly userId: string;
  /** Per-object operations the token is limited to; absent: everything its user may do. */
  readonly scopes?: TokenScopes;
}

/** As listed, and as created (core/api-token-types.ts), with this engine's operation names. */
export type ApiTokenSummary = CoreApiTokenSummary<TokenScopes>;
export type CreatedApiToken = CoreCreatedApiToken<TokenScopes>;

export interface ApiTokenInput {
  readonly name: string;
  /** ISO-8601 date-time in the future; omitted or null: the token does not expire. */
  readonly expires_at?: string | null;
  /** Limits the token to these operations per object (`*` for the others); never more than its user may. */
  readonly scopes?: TokenScopes | null;
}

const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;
const MAX_NAME_LENGTH = 100;

export function checkApiTokenInput(input: unknown, nowMs: number): { name: string; expiresAt: string | null; scopes: TokenScopes | null } {
  const issues: FieldIssue[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw validationError([{ path: '', code: 'type', params: { expected: 'an object' } }]);
  }
  const { name, expires_at: expiresAt, scopes, ...rest } = input as Record<string, unknown>;
  for (const key of Object.keys(rest)) issues.push({ path: key, code: 'unknown_field' });
  const trimmed = typeof name === 'string' ? name.trim() : undefined;
  if (name === undefined || trimmed === '') issues.push({ path: 'name', code: 'required' });
  else if (trimmed === undefined) issues.push({ path: 'name', code: 'type', params: { expected: 'a string' } });
  else if (trimmed.length > MAX_NAME_LENGTH) issues.push({ path: 'name', code: 'max_length', params: { limit: MAX_NAME_LENGTH } });
  let expires: string | null = null;
  if (expiresAt !== undefined && expiresAt !== null) {
    const ms = typeof expiresAt === 'string' && ISO_DATE_TIME.test(expiresAt) ? Date.parse(expiresAt) : Number.NaN;
    if (Number.isNaN(ms)) issues.push({ path: 'expires_at', code: 'format', params: { format: 'date-time' } });
    else if (ms <= nowMs) issues.push({ path: 'expires_at', code: 'invalid', params: { reason: reason('must_be_future') } });
    else expires = new Date(ms).toISOString();
  }
  if (scopes !== undefined && scopes !== null) {
    if (typeof scopes !== 'object' || Array.isArray(scopes)) issues.push({ path: 'scopes', code: 'type', params: { expected: 'a JSON object' } });
    else {
      for (const [object, ops] of Object.entries(scopes)) {
        if (object !== '*' && !/^[a-z][a-z0-9_]{0,62}$/.test(object)) issues.push({ path: `scopes/${object}`, code: 'invalid', params: { reason: reason('not_object_name_or_star') } });
        if (!Array.isArray(ops) || ops.some((op) => !(OPERATIONS as readonly unknown[]).includes(op))) {
          issues.push({ path: `scopes/${object}`, code: 'invalid', params: { reason: reason('must_be_list_of', { values: OPERATIONS }) } });
        }
      }
    }
  }
  if (issues.length) throw validationError(issues);
  return { name: trimmed!, expiresAt: expires, scopes: (scopes as TokenScopes | null | undefined) ?? null };
}

export async function insertApiToken(
  db: Kysely<SystemDatabase>,
  userId: string,
  input: { name: string; expiresAt: string | null; scopes: TokenScopes | null },
  nowMs: number,
): Promise<CreatedApiToken> {
  const { token, prefix } = newApiToken();
  const row = await db
    .insertInto('crm_meta.api_tokens')
    .values({
      id: newId(),
      user_id: userId,
      name: input.name,
      token_hash: hashToken(token),
      prefix,
      created_at: new Date(nowMs).toISOString(),
      expires_at: input.expiresAt,
      scopes: input.scopes ? JSON.stringify(input.scopes) : null,
    })
    .returning(['id', 'name', 'prefix', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, token, prefix: row.prefix, created_at: row.created_at, expires_at: row.expires_at, scopes: input.scopes };
}

/** The user's tokens that are not revoked, newest first (expired ones included, so they can be recognised). */
export async function listApiTokens(db: Kysely<SystemDatabase>, userId: string): Promise<ApiTokenSummary[]> {
  return db
    .selectFrom('crm_meta.api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'scopes'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute() as Promise<ApiTokenSummary[]>;
}

/** Revokes one of the user's own tokens and announces it in the same statement. */
export async function revokeApiToken(db: Kysely<SystemDatabase>, userId: string, id: string, nowMs: number): Promise<void> {
  if (!isUuid(id)) throw new CrmError('token_not_found', { id });
  const result = await sql<{ id: string }>`
    with revoked as (
      update crm_meta.api_tokens set revoked_at = ${new Date(nowMs).toISOString()}::timestamptz
      where id = ${id}::uuid and user_id = ${userId}::uuid and revoked_at is null
      returning id)
    select id, pg_notify(${AUTH_CHANNEL}, 'token:' || id::text) from revoked`.execute(db);
  if (!result.rows[0]) throw new CrmError('token_not_found', { id });
}

export interface StoredApiToken {
  readonly id: string;
  readonly user_id: string;
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
  readonly user_active: boolean;
  readonly scopes: unknown;
}

export async function findApiToken(db: Kysely<SystemDatabase>, hash: string): Promise<StoredApiToken | undefined> {
  return db
    .selectFrom('crm_meta.api_tokens as t')
    .innerJoin('crm_meta.users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.expires_at', 't.revoked_at', 't.scopes', 'u.active as user_active'])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
}
