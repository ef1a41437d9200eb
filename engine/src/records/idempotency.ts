import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isPgError, PG } from '../db/pg-errors';
import { CrmError, reason } from '../errors';
import { containsNul } from '../metadata/json-limits';

export interface IdempotencyOptions {
  /** The client's Idempotency-Key. */
  readonly key: string;
  /** What the request was (method, path, body): the same key with a different request is refused. */
  readonly fingerprint: string;
}

const MAX_KEY_LENGTH = 255;
// Keys are kept a day: long enough for any client retry loop.
const RETENTION = '24 hours';

function hash(fingerprint: string): string {
  return createHash('sha256').update(fingerprint).digest('hex');
}

/**
 * Runs `work` once per (actor, key). The key row is inserted in the write's own transaction:
 * a concurrent retry blocks on its primary key until the first commits (then reads that result)
 * or rolls back (then runs itself). A crash before commit leaves no key behind.
 */
export async function runIdempotent<T>(
  db: Kysely<unknown>,
  actorId: string,
  options: IdempotencyOptions,
  work: (trx: Transaction<unknown>) => Promise<T>,
): Promise<T> {
  if (options.key.length === 0 || options.key.length > MAX_KEY_LENGTH) {
    throw new CrmError('validation_failed', {}, [{ path: 'Idempotency-Key', code: 'invalid', params: { reason: reason('must_be_length_range', { min: 1, max: MAX_KEY_LENGTH }) } }]);
  }
  if (containsNul(options.key)) throw new CrmError('validation_failed', {}, [{ path: 'Idempotency-Key', code: 'nul_character' }]);
  const requestHash = hash(options.fingerprint);
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`insert into crm_meta.idempotency_keys (actor_id, key, request_hash) values (${actorId}::uuid, ${options.key}, ${requestHash})`.execute(trx);
      const result = await work(trx);
      await sql`update crm_meta.idempotency_keys set response = ${JSON.stringify(result)}::jsonb where actor_id = ${actorId}::uuid and key = ${options.key}`.execute(trx);
      return result;
    });
  } catch (error) {
    if (!isPgError(error, PG.uniqueViolation, 'idempotency_keys_pkey')) throw error;
  }
  const stored = await sql<{ request_hash: string; response: T | null }>`
    select request_hash, response from crm_meta.idempotency_keys where actor_id = ${actorId}::uuid and key = ${options.key}`.execute(db);
  const row = stored.rows[0];
  if (!row) throw new CrmError('idempotency_in_progress');
  if (row.request_hash !== requestHash) throw new CrmError('idempotency_key_reused');
  if (row.response === null) throw new CrmError('idempotency_in_progress');
  return row.response;
}

/** Forgets keys older than the retention period. */
export async function purgeIdempotencyKeys(db: Kysely<unknown>): Promise<void> {
  await sql`delete from crm_meta.idempotency_keys where created_at < now() - ${RETENTION}::interval`.execute(db);
}
