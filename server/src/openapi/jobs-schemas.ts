import { JOB_STATES } from '@crm/engine';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/** The shapes of the background job queue's routes (jobs/routes.ts). */

// Mirrors the engine's job queue (jobs/job-queue.ts).
export const MAX_JOB_LIST_LIMIT = 500;
export const TASK_NAME = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

const jobSchemas: Record<string, SchemaObject> = {
  Job: {
    type: 'object',
    description: 'A background job. Properties named `secret` in its payload are shown as `[redacted]`.',
    properties: {
      id: { type: 'string', format: 'uuid' },
      task: { ...TASK_NAME, description: 'What it does: `webhook`, `email`, ...' },
      state: {
        type: 'string',
        enum: [...JOB_STATES],
        description: 'queued: waiting; running: claimed by a worker; done: finished; failed: an attempt failed and the next one is due at `run_at`; dead: the last attempt failed.',
      },
      key: { type: ['string', 'null'], description: 'Idempotency key; for webhooks also the delivery id receivers get in `X-CRM-Delivery`.' },
      payload: { type: 'object', description: 'What the task runs with (a webhook: `url`, `body`; an email: `to`, `subject`, `text`, `html`, `record`).' },
      attempts: { type: 'integer', minimum: 0, description: 'Attempts started so far.' },
      max_attempts: { type: 'integer', minimum: 1 },
      run_at: { ...timestamp, description: 'When it runs (next).' },
      created_at: timestamp,
      started_at: { ...nullableTimestamp, description: 'When the latest attempt started.' },
      completed_at: { ...nullableTimestamp, description: 'When it finished (done) or was given up (dead).' },
      last_error: { type: ['string', 'null'], description: 'Why the latest attempt failed (until the job succeeds).' },
      output: { description: 'What the task recorded when it finished, e.g. `{status, delivery_id, delivered_at}` for a webhook; null until done.' },
    },
    required: ['id', 'task', 'state', 'key', 'payload', 'attempts', 'max_attempts', 'run_at', 'created_at', 'started_at', 'completed_at', 'last_error', 'output'],
  },
  JobList: {
    type: 'object',
    properties: { data: { type: 'array', items: schemaRef('Job') } },
    required: ['data'],
  },
};

export const JOBS_TAG = { name: 'jobs', description: 'Background jobs: webhook and email deliveries, retries and dead letters' } as const;

export function jobComponents(): DocumentPart {
  return { paths: {}, tags: [JOBS_TAG], schemas: jobSchemas };
}
