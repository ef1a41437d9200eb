import type { Engine, JobState } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { QueryReader } from '../http/query';
import { actorOf } from '../http/request-context';

/**
 * The job queue for administrators: what is queued, running, done, failing or dead
 * (/api/jobs), one job, and a retry of a dead job. The engine checks who may.
 */
export const jobRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.get('/api/jobs', async (request) => {
    const query = new QueryReader(request.query);
    const options = { state: query.string('state') as JobState | undefined, task: query.string('task'), limit: query.integer('limit') };
    query.done();
    const data = await engine.jobs.list(actorOf(request), Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)));
    return { data };
  });
  app.get<{ Params: { id: string } }>('/api/jobs/:id', async (request) => {
    new QueryReader(request.query).done();
    return engine.jobs.get(actorOf(request), request.params.id);
  });
  app.post<{ Params: { id: string } }>('/api/jobs/:id/retry', async (request) => {
    new QueryReader(request.query).done();
    return engine.jobs.retry(actorOf(request), request.params.id);
  });
};
