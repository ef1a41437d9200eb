import { sql, type Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { validationError } from '../errors';
import { ADMINISTRATOR_ROLE_ID } from '@crm/migrations';
import { newId } from '../metadata/ids';
import { anyPasswordSet } from './credentials';
import { checkPasswordPolicy, generatePassword, hashPassword } from './passwords';

export interface BootstrapAdminOptions {
  /** Default `admin@localhost`. An empty string counts as not given (unset environment variables). */
  readonly email?: string | undefined;
  /** Generated (strong, random) when not given. */
  readonly password?: string | undefined;
}

export type BootstrapAdminResult =
  | { readonly created: true; readonly email: string; readonly password: string; readonly generated: boolean }
  | { readonly created: false };

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';
// Serialises bootstraps of processes starting together on one database ("CRMA").
const BOOTSTRAP_LOCK_KEY = 0x43524d41;

/**
 * Makes sure someone can sign in to a fresh installation: when no user has a password yet,
 * gives the user with `email` (created as "Administrator" if missing) a password. Idempotent;
 * concurrent calls serialise on an advisory lock and only the first creates anything.
 */
export async function bootstrapAdmin(db: Kysely<SystemDatabase>, options: BootstrapAdminOptions, nowMs: number): Promise<BootstrapAdminResult> {
  if (await anyPasswordSet(db)) return { created: false };
  const email = (options.email || DEFAULT_ADMIN_EMAIL).trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
    throw validationError([{ path: 'email', code: 'format', params: { format: 'email' } }]);
  }
  const generated = !options.password;
  const password = options.password ? checkPasswordPolicy(options.password) : generatePassword();
  // Hashed before taking the lock: the lock (and on PGlite the one connection) is held only briefly.
  const passwordHash = await hashPassword(password);
  const now = new Date(nowMs).toISOString();

  const created = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`.execute(trx);
    if (await anyPasswordSet(trx)) return false;
    const existing = await trx
      .selectFrom('crm_meta.users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    const userId = existing?.id ?? newId();
    if (existing) {
      // The named account exists (created before auth was set up): it becomes the administrator.
      await trx.updateTable('crm_meta.users').set({ active: true, updated_at: now }).where('id', '=', userId).execute();
    } else {
      await trx.insertInto('crm_meta.users').values({ id: userId, name: 'Administrator', email, active: true, created_at: now, updated_at: now }).execute();
    }
    await trx.insertInto('crm_meta.credentials').values({ user_id: userId, password_hash: passwordHash, updated_at: now }).execute();
    // The first person in is an administrator; access is computed per revision, so announce the change.
    await trx.insertInto('crm_meta.user_roles').values({ user_id: userId, role_id: ADMINISTRATOR_ROLE_ID }).onConflict((oc) => oc.doNothing()).execute();
    await sql`update crm_meta.state set revision = revision + 1 where id = 1`.execute(trx);
    await sql`select pg_notify('crm_meta_revision', (select revision::text from crm_meta.state where id = 1))`.execute(trx);
    return true;
  });
  return created ? { created: true, email, password, generated } : { created: false };
}
