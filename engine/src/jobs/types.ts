import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../actors';
import type { Reason } from '../errors';

/**
 * Background jobs: work that must happen because a write committed (a webhook, an email) but
 * must not happen inside it. A job is enqueued in the caller's transaction, so it exists exactly
 * when the write does, and runs afterwards, with retries, in a worker.
 */

/**
 * queued: waiting to run (or to run again after an administrator's retry); running: claimed by a
 * worker; done: finished, its output recorded; failed: an attempt failed and a retry is scheduled
 * (`run_at`); dead: the last attempt failed, kept with its last error until an administrator
 * retries it.
 */
export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

export type JsonObject = { readonly [key: string]: unknown };

/** The engine's database, whatever its static types (the queue's tables are not in SystemDatabase). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobDatabase = Kysely<any>;

/** Where a job is enqueued: the caller's transaction (or the database itself, for a job on its own). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobConnection = Kysely<any> | Transaction<any>;

export interface JobInput {
  /** A registered task name (`webhook`, `email`, ...). */
  readonly task: string;
  /** JSON the task's handler receives; checked by the task's validator when enqueued. */
  readonly payload: JsonObject;
  /**
   * Idempotency key: a second enqueue with the same key adds no job and returns the first one's
   * id. It is also the delivery id receivers see (X-CRM-Delivery), so make it stable for the
   * event, e.g. `workflow:<run id>:<action>`. At most 200 characters.
   */
  readonly key?: string;
  /** Not before this instant (default: as soon as the transaction commits). */
  readonly runAt?: Date;
  /** Attempts before the job is dead-lettered (default: the queue's `maxAttempts`). */
  readonly maxAttempts?: number;
}

export interface EnqueuedJob {
  readonly id: string;
  /** True when a job with the same key already existed: nothing new was queued. */
  readonly duplicate: boolean;
}

/** A job as administrators see it. Secrets in payloads (a `secret` property) are never shown. */
export interface Job {
  readonly id: string;
  readonly task: string;
  readonly state: JobState;
  readonly key: string | null;
  readonly payload: JsonObject;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly max_attempts: number;
  /** When it runs (next). */
  readonly run_at: string;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  /** The error of the last failed attempt, while the job is failed or dead. */
  readonly last_error: string | null;
  /** What the handler recorded when it finished (e.g. the receiver's HTTP status). */
  readonly output: unknown;
}

/** What a handler gets: the job as claimed. */
export interface RunningJob {
  readonly id: string;
  readonly task: string;
  readonly payload: JsonObject;
  readonly key: string | null;
  /** 1 on the first attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when the task's time limit passes. */
  readonly signal: AbortSignal;
}

/**
 * Runs one job. Resolving completes the job and records what it resolved to as its output, in
 * one statement, so a finished job is never run again; throwing fails the attempt.
 */
export type JobHandler = (job: RunningJob) => Promise<JsonObject | void>;

export interface TaskOptions {
  /** Checks a payload when it is enqueued; returns problems (paths relative to the payload). */
  readonly validate?: (payload: JsonObject) => readonly { path: string; reason: Reason }[];
  /** Longest an attempt may run before it counts as failed (default 30 s). */
  readonly timeoutMs?: number;
  /** Properties of the payload never shown to administrators (default: `secret`). */
  readonly secretProperties?: readonly string[];
}

export interface JobQuery {
  readonly state?: JobState;
  readonly task?: string;
  /** 1-500, default 50. Newest first. */
  readonly limit?: number;
}

export interface BackoffOptions {
  /** Delay after the first failed attempt; doubles with each further one (default 2 s). */
  readonly baseMs?: number;
  /** The longest delay between two attempts (default 1 hour). */
  readonly maxMs?: number;
}

export interface JobQueueOptions {
  readonly backoff?: BackoffOptions;
  /** Attempts before a job is dead-lettered, unless the job says otherwise (default 12). */
  readonly maxAttempts?: number;
  /** Jobs run at once by this process's worker (default 10). */
  readonly concurrency?: number;
  /**
   * How often the worker looks for due jobs besides being woken by a commit (default 1 s). Jobs
   * scheduled for later and retries are found this way.
   */
  readonly pollIntervalMs?: number;
}

/** The queue: one interface, whichever database is underneath (see create-job-queue.ts). */
export interface JobQueue {
  /** `pg-boss` on PostgreSQL, `in-process` on PGlite. */
  readonly implementation: 'pg-boss' | 'in-process';
  /** Registers a task's handler (and, on PostgreSQL, its queue). Register before enqueueing. */
  register(task: string, handler: JobHandler, options?: TaskOptions): Promise<void>;
  /**
   * Adds a job inside the caller's transaction: if it rolls back, the job never existed; once it
   * commits, the job runs even if this process dies the next moment.
   */
  enqueue(db: JobConnection, input: JobInput): Promise<EnqueuedJob>;
  /** Starts this process's worker (idempotent). */
  start(): Promise<void>;
  /** Stops claiming jobs and waits for the running ones to finish (idempotent). */
  stop(): Promise<void>;
  /** Whether the worker runs. */
  readonly running: boolean;
  /** Administrators: jobs newest first, by state and task. */
  list(actor: Actor, query?: JobQuery): Promise<Job[]>;
  /** Administrators: one job (404 job_not_found). */
  get(actor: Actor, id: string): Promise<Job>;
  /** Administrators: gives a dead job one more attempt, now (409 job_not_retryable otherwise). */
  retry(actor: Actor, id: string): Promise<Job>;
}
