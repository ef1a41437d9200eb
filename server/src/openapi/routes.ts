import { ifNoneMatchHits } from '../http/etag';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { SPEC_PATH } from './docs-page';
import { jsonResponse } from './operations';
import { optionalActor } from './optional-actor';

/**
 * GET /api/openapi.json and the docs page at /api/docs. Both are public. The document is cut to
 * its reader: with credentials, only the objects, fields and operations that actor may use;
 * without, the API surface with no object at all (see README.md for why anonymous callers get no
 * record paths).
 */

export const OPENAPI_TAG = { name: 'openapi', description: 'This description of the API' } as const;

export const openapiRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: SPEC_PATH,
    access: 'public',
    openapi: {
      operationId: 'get_openapi_document',
      summary: 'This OpenAPI document, cut to its reader',
      description:
        'With an API token or a session: the objects, fields and operations you may use. Without credentials: the API surface and no object. Revalidate with If-None-Match (304 when unchanged).',
      tag: OPENAPI_TAG.name,
      responses: {
        200: jsonResponse('The OpenAPI 3.1 document.', { type: 'object', required: ['openapi', 'info', 'paths'] }),
        304: { description: 'Unchanged since the ETag sent in If-None-Match.' },
      },
      errors: [401],
    },
    handler: async (request, reply, { engine, documentFor }) => {
      const actor = await optionalActor(engine, request, reply);
      const published = await documentFor(actor);
      reply
        .header('etag', published.etag)
        // The answer depends on who asks: shared caches must key on the credentials or not keep
        // a personal document at all, and every client must revalidate (metadata changes alter it).
        .header('vary', 'Authorization, Cookie')
        .header('cache-control', actor ? 'private, no-cache' : 'no-cache')
        .header('x-crm-revision', String(published.revision));
      if (ifNoneMatchHits(request, published.etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(published.json);
    },
  }),
];
