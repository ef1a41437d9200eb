import type { Actor } from '../actors';
import type { Database } from '../db/open-database';
import type { JobBackend } from './backend';
import type { EnvReader } from '../config/env-reader';
import { DEFAULT_BACKOFF } from './backoff';
import { Jobs, MAX_ATTEMPTS_LIMIT, MAX_CONCURRENCY, MAX_RETRY_DELAY_MS, MIN_POLL_INTERVAL_MS, type QueueSettings } from './job-queue';
import { TableBackend } from './table-backend';
import type { JobQueue, JobQueueOptions } from './types';

/**
 * The one place the queue's implementation is chosen. PostgreSQL (DATABASE_URL): pg-boss, shared
 * by every server process on the database, its schema installed here. PGlite: one process with
 * one connection, so the in-process queue on crm_meta.jobs (migration 0007) is the whole story.
 */
export async function createJobQueue(database: Database, isAdmin: (actor: Actor) => Promise<boolean>, settings: QueueSettings = {}): Promise<JobQueue> {
  const report = settings.onError ?? (() => {});
  // pg-boss is loaded only where it runs: an embedded (PGlite) server starts without it.
  const backend: JobBackend =
    database.kind === 'postgres' ? await (await import('./pg-boss-backend')).PgBossBackend.open(database.db, report) : new TableBackend(database.db);
  return new Jobs(backend, database, isAdmin, settings);
}

/**
 * Queue settings from the environment (CRM_JOBS_*): unset keeps a default; a value that does not
 * fit is reported by its variable (see EnvReader).
 */
export function jobOptionsFromEnv(read: EnvReader): JobQueueOptions {
  const baseMs = read.number('CRM_JOBS_RETRY_BASE_MS', { min: 0, max: MAX_RETRY_DELAY_MS });
  const maxMs = read.number('CRM_JOBS_RETRY_MAX_MS', { min: 1, max: MAX_RETRY_DELAY_MS });
  const base = baseMs ?? DEFAULT_BACKOFF.baseMs;
  const cap = maxMs ?? DEFAULT_BACKOFF.maxMs;
  if (base > cap) {
    if (maxMs !== undefined) read.problem('CRM_JOBS_RETRY_MAX_MS', String(maxMs), `must be at least the first retry delay (${base} ms, CRM_JOBS_RETRY_BASE_MS)`);
    else read.problem('CRM_JOBS_RETRY_BASE_MS', String(base), `must not exceed the longest retry delay (${cap} ms, CRM_JOBS_RETRY_MAX_MS)`);
  }
  return {
    concurrency: read.number('CRM_JOBS_CONCURRENCY', { min: 1, max: MAX_CONCURRENCY }),
    maxAttempts: read.number('CRM_JOBS_MAX_ATTEMPTS', { min: 1, max: MAX_ATTEMPTS_LIMIT }),
    pollIntervalMs: read.number('CRM_JOBS_POLL_MS', { min: MIN_POLL_INTERVAL_MS, max: MAX_RETRY_DELAY_MS }),
    ...(baseMs !== undefined || maxMs !== undefined ? { backoff: { ...(baseMs !== undefined ? { baseMs } : {}), ...(maxMs !== undefined ? { maxMs } : {}) } } : {}),
  };
}
