import type { Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { documentFor } from './document-cache';
import { docsPage, SPEC_PATH } from './docs-page';
import { optionalActor } from './optional-actor';

/**
 * GET /api/openapi.json and the docs page at /api/docs. Both are public. The document is cut to
 * its reader: with credentials, only the objects, fields and operations that actor may use;
 * without, the API surface with no object at all (see README.md for why anonymous callers get no
 * record paths).
 */

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export const openapiRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.get(SPEC_PATH, async (request, reply) => {
    const actor = await optionalActor(engine, request, reply);
    const published = await documentFor(engine, actor);
    reply
      .header('etag', published.etag)
      // The answer depends on who asks: shared caches must key on the credentials or not keep
      // a personal document at all, and every client must revalidate (metadata changes alter it).
      .header('vary', 'Authorization, Cookie')
      .header('cache-control', actor ? 'private, no-cache' : 'no-cache')
      .header('x-crm-revision', String(published.revision));
    if (matches(request.headers['if-none-match'], published.etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(published.json);
  });

  await app.register(docsPage);
};
