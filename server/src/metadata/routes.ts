import { systemActor, type ConversionStrategy, type Engine } from '@crm/engine';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { QueryReader } from '../http/query';
import { actorOf } from '../http/request-context';

interface ObjectParams {
  object: string;
}

/**
 * The metadata API the studio uses. Bodies are the engine's metadata documents; every write
 * answers with the stored document and the new metadata revision.
 */
export const metadataRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const revision = async () => (await engine.metadata(systemActor)).revision;
  const created = (reply: FastifyReply, body: unknown) => reply.status(201).send(body);
  const noQuery = (query: unknown) => new QueryReader(query).done();

  // Objects
  app.get('/objects', async (request) => {
    noQuery(request.query);
    return { data: await engine.objects.list(actorOf(request)), revision: await revision() };
  });
  app.post('/objects', async (request, reply) => {
    noQuery(request.query);
    return created(reply, await engine.objects.create(actorOf(request), request.body as never));
  });
  app.get<{ Params: ObjectParams }>('/objects/:object', async (request) => {
    noQuery(request.query);
    return { ...(await engine.objects.get(actorOf(request), request.params.object)), revision: await revision() };
  });
  app.patch<{ Params: ObjectParams }>('/objects/:object', async (request) => {
    noQuery(request.query);
    return engine.objects.update(actorOf(request), request.params.object, request.body);
  });
  app.delete<{ Params: ObjectParams }>('/objects/:object', async (request) => {
    const query = new QueryReader(request.query);
    const purge = query.boolean('purge');
    query.done();
    const actor = actorOf(request);
    return purge ? engine.objects.purge(actor, request.params.object) : engine.objects.delete(actor, request.params.object);
  });
  app.post<{ Params: ObjectParams }>('/objects/:object/restore', async (request) => {
    noQuery(request.query);
    return engine.objects.restore(actorOf(request), request.params.object);
  });

  // Fields
  app.get<{ Params: ObjectParams }>('/objects/:object/fields', async (request) => {
    const query = new QueryReader(request.query);
    const includeSystem = query.boolean('include_system');
    query.done();
    return { data: await engine.fields.list(actorOf(request), request.params.object, { includeSystem: includeSystem ?? false }), revision: await revision() };
  });
  app.post<{ Params: ObjectParams }>('/objects/:object/fields', async (request, reply) => {
    noQuery(request.query);
    return created(reply, await engine.fields.create(actorOf(request), request.params.object, request.body));
  });
  app.get<{ Params: ObjectParams & { field: string } }>('/objects/:object/fields/:field', async (request) => {
    noQuery(request.query);
    return { ...(await engine.fields.get(actorOf(request), request.params.object, request.params.field)), revision: await revision() };
  });
  app.patch<{ Params: ObjectParams & { field: string } }>('/objects/:object/fields/:field', async (request) => {
    const query = new QueryReader(request.query);
    const convert = query.string('convert');
    query.done();
    return engine.fields.update(actorOf(request), request.params.object, request.params.field, request.body, convert === undefined ? {} : { convert: convert as ConversionStrategy });
  });
  app.delete<{ Params: ObjectParams & { field: string } }>('/objects/:object/fields/:field', async (request) => {
    noQuery(request.query);
    return engine.fields.delete(actorOf(request), request.params.object, request.params.field);
  });

  // Layouts, views and validation rules share one shape.
  for (const [segment, service] of [
    ['layouts', engine.layouts],
    ['views', engine.views],
    ['validation-rules', engine.validationRules],
  ] as const) {
    type Params = ObjectParams & { name: string };
    app.get<{ Params: ObjectParams }>(`/objects/:object/${segment}`, async (request) => {
      noQuery(request.query);
      return { data: await service.list(actorOf(request), request.params.object), revision: await revision() };
    });
    app.post<{ Params: ObjectParams }>(`/objects/:object/${segment}`, async (request, reply) => {
      noQuery(request.query);
      return created(reply, await service.create(actorOf(request), request.params.object, request.body));
    });
    app.get<{ Params: Params }>(`/objects/:object/${segment}/:name`, async (request) => {
      noQuery(request.query);
      return { ...(await service.get(actorOf(request), request.params.object, request.params.name)), revision: await revision() };
    });
    app.patch<{ Params: Params }>(`/objects/:object/${segment}/:name`, async (request) => {
      noQuery(request.query);
      return service.update(actorOf(request), request.params.object, request.params.name, request.body);
    });
    app.delete<{ Params: Params }>(`/objects/:object/${segment}/:name`, async (request) => {
      noQuery(request.query);
      return service.delete(actorOf(request), request.params.object, request.params.name);
    });
  }

};
