/** Background jobs: one queue interface, pg-boss on PostgreSQL, an in-process queue on PGlite. See README.md. */
export { createJobQueue, jobOptionsFromEnv } from './create-job-queue';
export { JOB_CHANNEL, type QueueSettings } from './job-queue';
export { retryDelayMs, DEFAULT_BACKOFF } from './backoff';
export { PG_BOSS_SCHEMA } from './pg-boss-backend';
export {
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
  type JobState,
  type JsonObject,
  type RunningJob,
  type TaskOptions,
} from './types';
