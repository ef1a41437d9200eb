import type { Actor } from '../actors';
import type { Database } from '../db/open-database';
import type { JobBackend } from './backend';
import { Jobs, type QueueSettings } from './job-queue';
import { PgBossBackend } from './pg-boss-backend';
import { TableBackend } from './table-backend';
import type { JobQueue } from './types';

/**
 * The one place the queue's implementation is chosen. PostgreSQL (DATABASE_URL): pg-boss, shared
 * by every server process on the database, its schema installed here. PGlite: one process with
 * one connection, so the in-process queue on crm_meta.jobs (migration 0007) is the whole story.
 */
export async function createJobQueue(database: Database, isAdmin: (actor: Actor) => Promise<boolean>, settings: QueueSettings = {}): Promise<JobQueue> {
  const report = settings.onError ?? (() => {});
  const backend: JobBackend = database.kind === 'postgres' ? await PgBossBackend.open(database.db, report) : new TableBackend(database.db);
  return new Jobs(backend, database, isAdmin, settings);
}

/** Queue settings from the environment (CRM_JOBS_*); unset or invalid values keep the defaults. */
export function jobOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const positive = (name: string): number | undefined => (Number(env[name]) > 0 ? Number(env[name]) : undefined);
  const baseMs = positive('CRM_JOBS_RETRY_BASE_MS');
  const maxMs = positive('CRM_JOBS_RETRY_MAX_MS');
  return {
    concurrency: positive('CRM_JOBS_CONCURRENCY'),
    maxAttempts: positive('CRM_JOBS_MAX_ATTEMPTS'),
    pollIntervalMs: positive('CRM_JOBS_POLL_MS'),
    ...(baseMs || maxMs ? { backoff: { ...(baseMs ? { baseMs } : {}), ...(maxMs ? { maxMs } : {}) } } : {}),
  };
}
