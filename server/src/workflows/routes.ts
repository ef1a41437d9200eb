import { systemActor, type Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { QueryReader } from '../http/query';
import { actorOf } from '../http/request-context';

interface ObjectParams {
  object: string;
}

/**
 * Workflows over HTTP, thin wrappers around the engine: workflow documents under the metadata
 * API (/api/meta/objects/:object/workflows, administrators only, like approval processes), the
 * run log (/api/workflow-runs, administrators only) and each user's in-app notifications
 * (/api/notifications). The engine decides who may do what.
 */
export const workflowRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const noQuery = (query: unknown) => new QueryReader(query).done();
  type WorkflowParams = ObjectParams & { name: string };
  const workflows = engine.workflows;
  const metadataRevision = async () => (await engine.metadata(systemActor)).revision;

  app.get<{ Params: ObjectParams }>('/api/meta/objects/:object/workflows', async (request) => {
    noQuery(request.query);
    return { data: await workflows.list(actorOf(request), request.params.object), revision: await metadataRevision() };
  });
  app.post<{ Params: ObjectParams }>('/api/meta/objects/:object/workflows', async (request, reply) => {
    noQuery(request.query);
    return reply.status(201).send(await workflows.create(actorOf(request), request.params.object, request.body));
  });
  app.get<{ Params: WorkflowParams }>('/api/meta/objects/:object/workflows/:name', async (request) => {
    noQuery(request.query);
    return { ...(await workflows.get(actorOf(request), request.params.object, request.params.name)), revision: await metadataRevision() };
  });
  app.patch<{ Params: WorkflowParams }>('/api/meta/objects/:object/workflows/:name', async (request) => {
    noQuery(request.query);
    return workflows.update(actorOf(request), request.params.object, request.params.name, request.body);
  });
  app.delete<{ Params: WorkflowParams }>('/api/meta/objects/:object/workflows/:name', async (request) => {
    noQuery(request.query);
    return workflows.delete(actorOf(request), request.params.object, request.params.name);
  });

  app.get('/api/workflow-runs', async (request) => {
    const query = new QueryReader(request.query);
    const options = { workflow: query.string('workflow'), record: query.string('record'), object: query.string('object'), limit: query.integer('limit') };
    query.done();
    return { data: await engine.workflowRuns.list(actorOf(request), Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))) };
  });

  app.get('/api/notifications', async (request) => {
    const query = new QueryReader(request.query);
    const unread = query.boolean('unread');
    const limit = query.integer('limit');
    query.done();
    return { data: await engine.notifications.list(actorOf(request), { ...(unread ? { unread } : {}), ...(limit !== undefined ? { limit } : {}) }) };
  });
  app.post<{ Params: { id: string } }>('/api/notifications/:id/read', async (request) => {
    noQuery(request.query);
    return engine.notifications.markRead(actorOf(request), request.params.id);
  });
};
