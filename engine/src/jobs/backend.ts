import type { EnqueuedJob, Job, JobConnection, JobQuery, JsonObject } from './types';

/** A job to store, after the queue validated it and filled in its defaults. */
export interface NewJob {
  readonly id: string;
  readonly task: string;
  readonly payload: JsonObject;
  readonly key: string | null;
  readonly runAt: Date | null;
  readonly maxAttempts: number;
  /** How long a claimed job may stay claimed before it counts as abandoned (a crashed worker). */
  readonly expireSeconds: number;
}

/** A job a worker claimed; `attempt` counts this one. */
export interface ClaimedJob {
  readonly id: string;
  readonly task: string;
  readonly payload: JsonObject;
  readonly key: string | null;
  readonly attempt: number;
  readonly maxAttempts: number;
}

/**
 * Where jobs live: pg-boss on PostgreSQL, a table on PGlite. The queue (job-queue.ts) does the
 * rest the same way for both: validation, idempotency, the worker loop, back-off, access.
 */
export interface JobBackend {
  readonly implementation: 'pg-boss' | 'in-process';
  /** Makes the storage ready for a task (pg-boss: its queue). Idempotent. */
  addTask(task: string): Promise<void>;
  /** Stores a job in the caller's transaction; a known key returns the existing job instead. */
  insert(db: JobConnection, job: NewJob): Promise<EnqueuedJob>;
  /** Claims up to `limit` due jobs of these tasks for this worker. */
  claim(tasks: readonly string[], limit: number): Promise<ClaimedJob[]>;
  /** Finishes a job, recording its output in the same statement. */
  complete(job: ClaimedJob, output: JsonObject): Promise<void>;
  /** Fails an attempt: retried after `retryDelayMs`, or dead after the last attempt. */
  fail(job: ClaimedJob, error: string, retryDelayMs: number): Promise<void>;
  /** Worker start: background upkeep (abandoned jobs, retention). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every stored job, whichever process registered its task. */
  list(query: JobQuery & { readonly limit: number }): Promise<Job[]>;
  get(id: string): Promise<Job | undefined>;
  /** Dead -> queued with one more attempt; undefined when the job does not exist, the job when it is not dead. */
  retry(id: string): Promise<{ retried: boolean; job: Job } | undefined>;
}
