import { systemActor, type Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { QueryReader } from '../http/query';
import { actorOf } from '../http/request-context';

interface ObjectParams {
  object: string;
}

/**
 * Approvals over HTTP, thin wrappers around engine.approvalProcesses (metadata documents, like
 * views: /api/meta/objects/:object/approval-processes) and engine.approvals (submitting a record,
 * the inbox, decisions, a record's approval history). The engine decides who may do what.
 */
export const approvalRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const noQuery = (query: unknown) => new QueryReader(query).done();
  // Process documents, the shape of the views routes.
  type ProcessParams = ObjectParams & { name: string };
  const processes = engine.approvalProcesses;
  const metadataRevision = async () => (await engine.metadata(systemActor)).revision;
  app.get<{ Params: ObjectParams }>('/api/meta/objects/:object/approval-processes', async (request) => {
    noQuery(request.query);
    return { data: await processes.list(actorOf(request), request.params.object), revision: await metadataRevision() };
  });
  app.post<{ Params: ObjectParams }>('/api/meta/objects/:object/approval-processes', async (request, reply) => {
    noQuery(request.query);
    return reply.status(201).send(await processes.create(actorOf(request), request.params.object, request.body));
  });
  app.get<{ Params: ProcessParams }>('/api/meta/objects/:object/approval-processes/:name', async (request) => {
    noQuery(request.query);
    return { ...(await processes.get(actorOf(request), request.params.object, request.params.name)), revision: await metadataRevision() };
  });
  app.patch<{ Params: ProcessParams }>('/api/meta/objects/:object/approval-processes/:name', async (request) => {
    noQuery(request.query);
    return processes.update(actorOf(request), request.params.object, request.params.name, request.body);
  });
  app.delete<{ Params: ProcessParams }>('/api/meta/objects/:object/approval-processes/:name', async (request) => {
    noQuery(request.query);
    return processes.delete(actorOf(request), request.params.object, request.params.name);
  });

  // A record's side: submit it, read its approval history.
  type RecordParams = ObjectParams & { id: string };
  app.post<{ Params: RecordParams }>('/api/records/:object/:id/submit', async (request, reply) => {
    noQuery(request.query);
    return reply.status(201).send(await engine.approvals.submit(actorOf(request), request.params.object, request.params.id, request.body));
  });
  app.get<{ Params: RecordParams }>('/api/records/:object/:id/approvals', async (request) => {
    noQuery(request.query);
    return { data: await engine.approvals.history(actorOf(request), request.params.object, request.params.id) };
  });

  // The approver's side.
  app.get('/api/approvals/inbox', async (request) => {
    noQuery(request.query);
    return { data: await engine.approvals.inbox(actorOf(request)) };
  });
  for (const action of ['approve', 'reject', 'recall', 'reassign'] as const) {
    app.post<{ Params: { id: string } }>(`/api/approvals/:id/${action}`, async (request) => {
      noQuery(request.query);
      return engine.approvals[action](actorOf(request), request.params.id, request.body);
    });
  }
};
