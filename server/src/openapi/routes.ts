import type { Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { documentCacheFor } from './document-cache';
import { docsPage, SPEC_PATH } from './docs-page';

/**
 * GET /api/openapi.json (the document for the current metadata revision) and the docs page at
 * /api/docs. Both are public: the document describes the API's shape, never data.
 */

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export const openapiRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const documents = documentCacheFor(engine);

  app.get(SPEC_PATH, async (request, reply) => {
    const published = await documents.current();
    reply
      .header('etag', published.etag)
      // Clients may keep it but must revalidate: the next metadata change alters it.
      .header('cache-control', 'no-cache')
      .header('x-crm-revision', String(published.revision));
    if (matches(request.headers['if-none-match'], published.etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(published.json);
  });

  await app.register(docsPage);
};
