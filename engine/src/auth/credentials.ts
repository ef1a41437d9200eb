import type { Kysely, Transaction } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError } from '../errors';
import { notifyAuthChange } from './invalidation';
import { hashForMissingPassword, MAX_PASSWORD_LENGTH, verifyPassword } from './passwords';

/** Password rows (crm_meta.credentials) and the check behind sign-in. */

export interface SignedInUser {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

const MAX_EMAIL_LENGTH = 254;

/**
 * The user with this email and password, or invalid_credentials. Unknown email, no password set,
 * wrong password and inactive user fail alike and after one argon2 verification each, so neither
 * the answer nor its timing tells which emails exist.
 */
export async function verifyCredentials(db: Kysely<SystemDatabase>, email: unknown, password: unknown): Promise<SignedInUser> {
  const address = typeof email === 'string' ? email.trim().toLowerCase() : '';
  const secret = typeof password === 'string' && password.length <= MAX_PASSWORD_LENGTH ? password : undefined;
  const row =
    address && address.length <= MAX_EMAIL_LENGTH
      ? await db
          .selectFrom('crm_meta.users as u')
          .leftJoin('crm_meta.credentials as c', 'c.user_id', 'u.id')
          .select(['u.id', 'u.name', 'u.email', 'u.active', 'c.password_hash'])
          .where((eb) => eb(eb.fn('lower', ['u.email']), '=', address))
          .executeTakeFirst()
      : undefined;
  const storedHash = row?.password_hash ?? (await hashForMissingPassword());
  const matches = (await verifyPassword(storedHash, secret ?? '')) && secret !== undefined;
  if (!row || !row.password_hash || !row.active || !matches) throw new CrmError('invalid_credentials');
  return { id: row.id, name: row.name, email: row.email };
}

/**
 * Sets (or replaces) a user's password hash and ends their sessions: a password change is when
 * a stolen session must stop working. API tokens are separate credentials and stay.
 */
export async function storePassword(trx: Transaction<SystemDatabase>, userId: string, passwordHash: string, nowMs: number): Promise<void> {
  const now = new Date(nowMs).toISOString();
  // Update-then-insert rather than ON CONFLICT: the caller holds the user's row lock, and
  // PGlite has had trouble with INSERT ... ON CONFLICT (DESIGN.md).
  const updated = await trx
    .updateTable('crm_meta.credentials')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    await trx.insertInto('crm_meta.credentials').values({ user_id: userId, password_hash: passwordHash, updated_at: now }).execute();
  }
  await trx.deleteFrom('crm_meta.sessions').where('user_id', '=', userId).execute();
  await notifyAuthChange(trx, { kind: 'user', id: userId });
}

export async function anyPasswordSet(db: Kysely<SystemDatabase>): Promise<boolean> {
  const row = await db.selectFrom('crm_meta.credentials').select('user_id').limit(1).executeTakeFirst();
  return row !== undefined;
}
