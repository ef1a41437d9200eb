import type { Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { ifNoneMatchHits } from '../http/etag';
import { QueryReader } from '../http/query';
import { actorOf } from '../http/request-context';
import { clientModulePath } from './module-routes';

/**
 * GET /api/meta/client: the metadata as the caller's UI may see it (engine/src/projection). The
 * ETag changes with the metadata revision, the caller's grants and identity, and the request's
 * language; a UI that sends it back in If-None-Match gets a bodiless 304 while nothing changed.
 */
export const clientMetadataRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.get('/client', async (request, reply) => {
    new QueryReader(request.query).done();
    const answer = await engine.clientMetadata(actorOf(request), { locale: request.locale });
    reply
      .header('etag', answer.etag)
      // Personal and language-dependent: shared caches must not serve it to others, and every client revalidates.
      .header('vary', 'Accept-Language, Authorization, Cookie')
      .header('cache-control', 'private, no-cache')
      .header('x-crm-revision', String(answer.revision));
    if (ifNoneMatchHits(request, answer.etag)) return reply.code(304).send();
    return { ...answer.body(), rules_module: clientModulePath(answer.revision) };
  });
};
