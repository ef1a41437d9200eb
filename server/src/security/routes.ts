import type { Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { QueryReader } from '../http/query';
import { actorOf } from '../http/request-context';

/**
 * Organisation and access administration: users (/api/users), departments (/api/departments),
 * roles (/api/meta/roles) and the audit log (/api/audit). The engine decides who may do what.
 */
export const securityRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const noQuery = (query: unknown) => new QueryReader(query).done();

  app.get('/api/users', async (request) => {
    noQuery(request.query);
    return { data: await engine.users.list(actorOf(request)) };
  });
  app.post('/api/users', async (request, reply) => {
    noQuery(request.query);
    return reply.status(201).send(await engine.users.create(actorOf(request), request.body));
  });
  app.get<{ Params: { id: string } }>('/api/users/:id', async (request) => {
    noQuery(request.query);
    return engine.users.get(actorOf(request), request.params.id);
  });
  app.patch<{ Params: { id: string } }>('/api/users/:id', async (request) => {
    noQuery(request.query);
    return engine.users.update(actorOf(request), request.params.id, request.body);
  });
  app.post<{ Params: { id: string } }>('/api/users/:id/password', async (request, reply) => {
    noQuery(request.query);
    const body = (request.body ?? {}) as { password?: unknown };
    await engine.auth.setPassword(actorOf(request), request.params.id, typeof body.password === 'string' ? body.password : '');
    return reply.status(204).send();
  });

  app.get('/api/departments', async (request) => {
    noQuery(request.query);
    return { data: await engine.departments.list(actorOf(request)) };
  });
  app.post('/api/departments', async (request, reply) => {
    noQuery(request.query);
    return reply.status(201).send(await engine.departments.create(actorOf(request), request.body));
  });
  app.patch<{ Params: { id: string } }>('/api/departments/:id', async (request) => {
    noQuery(request.query);
    return engine.departments.update(actorOf(request), request.params.id, request.body);
  });
  app.delete<{ Params: { id: string } }>('/api/departments/:id', async (request) => {
    noQuery(request.query);
    return engine.departments.delete(actorOf(request), request.params.id);
  });

  app.get('/api/meta/roles', async (request) => {
    noQuery(request.query);
    return { data: await engine.roles.list(actorOf(request)), revision: (await engine.metadata(actorOf(request))).revision };
  });
  app.post('/api/meta/roles', async (request, reply) => {
    noQuery(request.query);
    return reply.status(201).send(await engine.roles.create(actorOf(request), request.body));
  });
  app.get<{ Params: { name: string } }>('/api/meta/roles/:name', async (request) => {
    noQuery(request.query);
    return engine.roles.get(actorOf(request), request.params.name);
  });
  app.patch<{ Params: { name: string } }>('/api/meta/roles/:name', async (request) => {
    noQuery(request.query);
    return engine.roles.update(actorOf(request), request.params.name, request.body);
  });
  app.delete<{ Params: { name: string } }>('/api/meta/roles/:name', async (request) => {
    noQuery(request.query);
    return engine.roles.delete(actorOf(request), request.params.name);
  });

  app.get('/api/audit', async (request) => {
    const query = new QueryReader(request.query);
    const options = {
      event: query.string('event'),
      actor_id: query.string('actor_id'),
      subject: query.string('subject'),
      kind: query.string('kind'),
      from: query.string('from'),
      to: query.string('to'),
      limit: query.integer('limit'),
      cursor: query.string('cursor'),
    };
    query.done();
    return engine.audit.list(actorOf(request), Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)));
  });
};
