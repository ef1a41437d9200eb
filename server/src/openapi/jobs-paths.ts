import { JOB_STATES } from '@crm/engine';
import { definedPaths, jsonResponse, operation, pathItem, pathParameter, queryParameter } from './operations';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';
import type { Viewer } from './viewer';

/**
 * The background job queue (/api/jobs): webhooks and emails waiting, running, done, failing or
 * dead-lettered, and the retry of a dead one. Administrators only, like the audit log.
 */

const JOBS = 'jobs';
// Mirrors the engine's job queue (jobs/job-queue.ts).
const MAX_LIMIT = 500;
const TASK_NAME = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const jobId = [pathParameter('id', 'Id of the job.', { type: 'string', format: 'uuid' })];
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

function paths() {
  return {
    '/api/jobs': pathItem({
      get: operation({
        operationId: 'list_jobs',
        summary: 'List background jobs',
        description: 'Newest first. `state=dead` lists the dead letters: deliveries that failed every attempt, with their last error.',
        tag: JOBS,
        access: 'read',
        parameters: [
          queryParameter('state', 'Only jobs in this state.', { type: 'string', enum: [...JOB_STATES] }),
          queryParameter('task', 'Only jobs of this task.', TASK_NAME),
          queryParameter('limit', `At most this many (1-${MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 }),
        ],
        responses: { 200: jsonResponse('The jobs.', schemaRef('JobList')) },
        errors: [400, 403],
      }),
    }),
    '/api/jobs/{id}': pathItem(
      {
        get: operation({
          operationId: 'get_job',
          summary: 'Get a background job',
          tag: JOBS,
          access: 'read',
          responses: { 200: jsonResponse('The job.', schemaRef('Job')) },
          errors: [403, 404],
        }),
      },
      jobId,
    ),
    '/api/jobs/{id}/retry': pathItem(
      {
        post: operation({
          operationId: 'retry_job',
          summary: 'Retry a dead job',
          description: 'Gives a dead job one more attempt, due now (it is `queued` again). Only dead jobs (409 otherwise).',
          tag: JOBS,
          access: 'write',
          responses: { 200: jsonResponse('The job, queued.', schemaRef('Job')) },
          errors: [404, 409],
        }),
      },
      jobId,
    ),
  };
}

export function jobPaths(viewer: Viewer): DocumentPart {
  if (!viewer.administration) return { paths: {} };
  return {
    tags: [{ name: JOBS, description: 'Background jobs: webhook and email deliveries, retries and dead letters' }],
    schemas: jobSchemas,
    paths: definedPaths(paths()),
  };
}
