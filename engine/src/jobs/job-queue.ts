import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { assertActor, type Actor } from '../actors';
import type { Database } from '../db/open-database';
import { CrmError, reason, validationError, type FieldIssue, type Reason } from '../errors';
import type { ClaimedJob, JobBackend } from './backend';
import { DEFAULT_BACKOFF, retryDelayMs } from './backoff';
import {
  JOB_STATES,
  type BackoffOptions,
  type EnqueuedJob,
  type Job,
  type JobConnection,
  type JobHandler,
  type JobInput,
  type JobQuery,
  type JobQueue,
  type JobQueueOptions,
  type JsonObject,
  type TaskOptions,
} from './types';
import { isUuid } from '../metadata/ids';

/** Commits that enqueued a job NOTIFY this channel, so idle workers (in any process) wake at once. */
export const JOB_CHANNEL = 'crm_jobs';

const TASK_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const MAX_KEY_LENGTH = 200;
const KEY = new RegExp(`^[^\\u0000-\\u001f\\u007f]{1,${MAX_KEY_LENGTH}}$`);
/** Bounds of the queue settings (options and CRM_JOBS_* alike). */
export const MAX_ATTEMPTS_LIMIT = 100;
export const MAX_CONCURRENCY = 1000;
export const MIN_POLL_INTERVAL_MS = 10;
export const MAX_RETRY_DELAY_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_ERROR_LENGTH = 2000;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_LIST_LIMIT = 500;

interface RegisteredTask {
  readonly handler: JobHandler;
  readonly validate: NonNullable<TaskOptions['validate']> | undefined;
  readonly timeoutMs: number;
  readonly secretProperties: readonly string[];
}

export interface QueueSettings extends JobQueueOptions {
  /** Errors nobody awaits (a claim the database refused, pg-boss maintenance); default: ignored. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The job queue over either backend: registration, validation and idempotency of enqueues, the
 * worker loop (claims up to `concurrency` jobs, woken by NOTIFY and by a poll), time limits,
 * back-off, dead letters, and the administrators' view. Handlers never see which database runs.
 */
export class Jobs implements JobQueue {
  readonly #tasks = new Map<string, RegisteredTask>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #backoff: Required<BackoffOptions>;
  readonly #maxAttempts: number;
  readonly #concurrency: number;
  readonly #claimBatch: number;
  readonly #pollIntervalMs: number;
  readonly #report: (error: unknown) => void;
  #running = false;
  #poll: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #filling: Promise<void> | undefined;
  #fillAgain = false;

  constructor(
    private readonly backend: JobBackend,
    private readonly database: Database,
    private readonly isAdmin: (actor: Actor) => Promise<boolean>,
    settings: QueueSettings = {},
  ) {
    this.#backoff = { ...DEFAULT_BACKOFF, ...settings.backoff };
    this.#maxAttempts = settings.maxAttempts ?? 12;
    this.#concurrency = settings.concurrency ?? 10;
    this.#pollIntervalMs = settings.pollIntervalMs ?? 1000;
    this.#claimBatch = Math.max(1, Math.floor(this.#concurrency / 4));
    this.#report = settings.onError ?? (() => {});
    if (!(this.#backoff.baseMs >= 0 && this.#backoff.maxMs >= this.#backoff.baseMs && this.#backoff.maxMs <= MAX_RETRY_DELAY_MS)) {
      throw new Error(`job back-off: need 0 <= baseMs <= maxMs <= ${MAX_RETRY_DELAY_MS}`);
    }
    if (!isAttemptCount(this.#maxAttempts)) throw new Error(`job maxAttempts must be 1-${MAX_ATTEMPTS_LIMIT}`);
    if (!(Number.isInteger(this.#concurrency) && this.#concurrency >= 1 && this.#concurrency <= MAX_CONCURRENCY)) throw new Error(`job concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`);
    if (!(this.#pollIntervalMs >= MIN_POLL_INTERVAL_MS)) throw new Error(`job pollIntervalMs must be at least ${MIN_POLL_INTERVAL_MS}`);
  }

  get implementation(): JobQueue['implementation'] {
    return this.backend.implementation;
  }

  get running(): boolean {
    return this.#running;
  }

  async register(task: string, handler: JobHandler, options: TaskOptions = {}): Promise<void> {
    if (!TASK_NAME.test(task)) throw new Error(`invalid task name "${task}" (${TASK_NAME.source})`);
    if (this.#tasks.has(task)) throw new Error(`task "${task}" is already registered`);
    await this.backend.addTask(task);
    this.#tasks.set(task, {
      handler,
      validate: options.validate,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      secretProperties: options.secretProperties ?? ['secret'],
    });
    // A worker already running picks up jobs of the new task too.
    this.#fill();
  }

  async enqueue(db: JobConnection, input: JobInput): Promise<EnqueuedJob> {
    const task = this.#checkInput(input);
    // The key row and the job must commit together: outside a transaction, make one.
    if (!db.isTransaction) return db.transaction().execute((trx) => this.enqueue(trx, input));
    const result = await this.backend.insert(db, {
      id: uuidv7(),
      task: input.task,
      payload: input.payload,
      key: input.key ?? null,
      runAt: input.runAt ?? null,
      maxAttempts: input.maxAttempts ?? this.#maxAttempts,
      // A worker that has not finished well after the time limit is taken for dead.
      expireSeconds: Math.min(23 * 60 * 60, Math.ceil(task.timeoutMs / 1000) + 60),
    });
    // Delivered when (and only if) the caller's transaction commits.
    if (!result.duplicate) await sql`select pg_notify(${JOB_CHANNEL}, ${input.task})`.execute(db);
    return result;
  }

  #checkInput(input: JobInput): RegisteredTask {
    const issues: FieldIssue[] = [];
    const invalid = (path: string, why: Reason) => issues.push({ path, code: 'invalid', params: { reason: why } });
    const task = typeof input?.task === 'string' ? this.#tasks.get(input.task) : undefined;
    if (!task) invalid('task', reason('must_be_registered_task', { tasks: this.#tasks.size ? [...this.#tasks.keys()] : reason('no_tasks') }));
    if (!isPlainObject(input?.payload)) issues.push({ path: 'payload', code: 'type', params: { expected: 'a JSON object' } });
    // The key is sent as a header (X-CRM-Delivery): no control characters.
    if (input?.key !== undefined && !(typeof input.key === 'string' && KEY.test(input.key))) {
      invalid('key', reason('must_be_printable_range', { min: 1, max: MAX_KEY_LENGTH }));
    }
    if (input?.runAt !== undefined && !(input.runAt instanceof Date && !Number.isNaN(input.runAt.getTime()))) invalid('run_at', reason('must_be_valid_date'));
    if (input?.maxAttempts !== undefined && !isAttemptCount(input.maxAttempts)) invalid('max_attempts', reason('must_be_whole_number_range', { min: 1, max: MAX_ATTEMPTS_LIMIT }));
    if (task && isPlainObject(input.payload)) {
      for (const problem of task.validate?.(input.payload) ?? []) invalid(problem.path ? `payload/${problem.path}` : 'payload', problem.reason);
    }
    if (issues.length || !task) throw validationError(issues);
    return task;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    await this.backend.start();
    this.#running = true;
    try {
      this.#unlisten = await this.database.listen(JOB_CHANNEL, () => this.#fill());
    } catch (error) {
      this.#running = false;
      await this.backend.stop();
      throw error;
    }
    // Retries and jobs scheduled for later are due without a commit to announce them.
    this.#poll = setInterval(() => this.#fill(), this.#pollIntervalMs);
    this.#poll.unref();
    this.#fill();
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearInterval(this.#poll);
    this.#poll = undefined;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.().catch(this.#report);
    // A claim under way still hands its jobs over; then every claimed job runs to its end.
    await this.#filling;
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
    await this.backend.stop();
  }

  /** Claims due jobs while there is room; one claim loop at a time, re-run if asked meanwhile. */
  #fill(): void {
    if (!this.#running || this.#tasks.size === 0) return;
    if (this.#filling) {
      this.#fillAgain = true;
      return;
    }
    this.#filling = this.#claimWhileRoom()
      .catch(this.#report)
      .finally(() => {
        this.#filling = undefined;
        if (this.#fillAgain) {
          this.#fillAgain = false;
          this.#fill();
        }
      });
  }

  async #claimWhileRoom(): Promise<void> {
    while (this.#running) {
      const room = this.#concurrency - this.#inFlight.size;
      // Claim in batches: one claim per finished job would double the statements per job.
      if (room <= 0 || (this.#inFlight.size > 0 && room < this.#claimBatch)) return;
      const jobs = await this.backend.claim([...this.#tasks.keys()], room);
      for (const job of jobs) this.#track(this.#execute(job));
      if (jobs.length < room) return;
    }
  }

  #track(run: Promise<void>): void {
    const tracked = run.catch(this.#report).finally(() => {
      this.#inFlight.delete(tracked);
      this.#fill();
    });
    this.#inFlight.add(tracked);
  }

  async #execute(job: ClaimedJob): Promise<void> {
    const task = this.#tasks.get(job.task)!;
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(new Error(`timed out after ${task.timeoutMs} ms`)), task.timeoutMs);
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }));
    aborted.catch(() => {});
    let output: JsonObject | void;
    try {
      // The race stops waiting for a handler that ignores its signal; its job fails on time.
      output = await Promise.race([task.handler({ ...job, signal: controller.signal }), aborted]);
    } catch (error) {
      await this.backend.fail(job, errorText(error), retryDelayMs(job.attempt, this.#backoff));
      return;
    } finally {
      clearTimeout(timeout);
    }
    await this.backend.complete(job, isPlainObject(output) ? output : {});
  }

  async list(actor: Actor, query: JobQuery = {}): Promise<Job[]> {
    await this.#requireAdmin(actor);
    const limit = query.limit ?? 50;
    const issues: FieldIssue[] = [];
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) issues.push({ path: 'limit', code: 'invalid', params: { reason: reason('must_be_range', { min: 1, max: MAX_LIST_LIMIT }) } });
    if (query.state !== undefined && !(JOB_STATES as readonly string[]).includes(query.state)) {
      issues.push({ path: 'state', code: 'invalid', params: { reason: reason('must_be_one_of', { values: JOB_STATES }) } });
    }
    if (query.task !== undefined && !TASK_NAME.test(query.task)) issues.push({ path: 'task', code: 'invalid', params: { reason: reason('not_task_name') } });
    if (issues.length) throw validationError(issues);
    const jobs = await this.backend.list({ ...query, limit });
    return jobs.map((job) => this.#shown(job));
  }

  async get(actor: Actor, id: string): Promise<Job> {
    await this.#requireAdmin(actor);
    const job = isUuid(id) ? await this.backend.get(id) : undefined;
    if (!job) throw new CrmError('job_not_found', { id });
    return this.#shown(job);
  }

  async retry(actor: Actor, id: string): Promise<Job> {
    await this.#requireAdmin(actor);
    const outcome = isUuid(id) ? await this.backend.retry(id) : undefined;
    if (!outcome) throw new CrmError('job_not_found', { id });
    if (!outcome.retried) throw new CrmError('job_not_retryable', { id, state: outcome.job.state });
    // Wake whichever worker is idle, here or in another process.
    await sql`select pg_notify(${JOB_CHANNEL}, ${outcome.job.task})`.execute(this.database.db);
    return this.#shown(outcome.job);
  }

  async #requireAdmin(actor: Actor): Promise<void> {
    assertActor(actor);
    if (!(await this.isAdmin(actor))) throw new CrmError('forbidden', { action: 'administer', subject: reason('subject_background_jobs') });
  }

  /** Administrators see payloads without their secrets. */
  #shown(job: Job): Job {
    const secrets = this.#tasks.get(job.task)?.secretProperties ?? ['secret'];
    if (!secrets.some((name) => name in job.payload)) return job;
    const payload = Object.fromEntries(Object.entries(job.payload).map(([name, value]) => [name, secrets.includes(name) ? '[redacted]' : value]));
    return { ...job, payload };
  }
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAttemptCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_ATTEMPTS_LIMIT;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text;
}
