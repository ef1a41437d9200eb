import { JOB_STATES, type JobState } from '@crm/engine';
import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { JOBS_TAG, MAX_JOB_LIST_LIMIT, TASK_NAME } from '../openapi/jobs-schemas';
import { jsonResponse, pathParameter } from '../openapi/operations';
import { schemaRef } from '../openapi/types';

/**
 * The job queue for administrators (/api/jobs): webhooks and emails waiting, running, done,
 * failing or dead-lettered, one job, and the retry of a dead one. The engine checks who may.
 */

const tag = JOBS_TAG.name;
const id = pathParameter('id', 'Id of the job.', { type: 'string', format: 'uuid' });

export const jobRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/jobs',
    access: 'admin',
    query: {
      state: query.string('Only jobs in this state.', { type: 'string', enum: [...JOB_STATES] }),
      task: query.string('Only jobs of this task.', TASK_NAME),
      limit: query.integer(`At most this many (1-${MAX_JOB_LIST_LIMIT}).`, { type: 'integer', minimum: 1, maximum: MAX_JOB_LIST_LIMIT, default: 50 }),
    },
    openapi: {
      operationId: 'list_jobs',
      summary: 'List background jobs',
      description: 'Newest first. `state=dead` lists the dead letters: deliveries that failed every attempt, with their last error.',
      tag,
      responses: { 200: jsonResponse('The jobs.', schemaRef('JobList')) },
      errors: [400, 403],
    },
    handler: async (request, _reply, { engine }) => {
      const { state, ...rest } = request.query;
      return { data: await engine.jobs.list(actorOf(request), { ...rest, ...(state !== undefined ? { state: state as JobState } : {}) }) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/jobs/:id',
    access: 'admin',
    params: { id },
    openapi: {
      operationId: 'get_job',
      summary: 'Get a background job',
      tag,
      responses: { 200: jsonResponse('The job.', schemaRef('Job')) },
      errors: [403, 404],
    },
    handler: async (request, _reply, { engine }) => engine.jobs.get(actorOf(request), request.params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/jobs/:id/retry',
    access: 'admin',
    params: { id },
    openapi: {
      operationId: 'retry_job',
      summary: 'Retry a dead job',
      description: 'Gives a dead job one more attempt, due now (it is `queued` again). Only dead jobs (409 otherwise).',
      tag,
      responses: { 200: jsonResponse('The job, queued.', schemaRef('Job')) },
      errors: [404, 409],
    },
    handler: async (request, _reply, { engine }) => engine.jobs.retry(actorOf(request), request.params.id),
  }),
];
