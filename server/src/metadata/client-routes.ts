import { CrmError } from '@crm/engine';
import { ifNoneMatchHits } from '../http/etag';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { CLIENT_TAG } from '../openapi/client-paths';
import { jsonResponse, pathParameter } from '../openapi/operations';
import { schemaRef } from '../openapi/types';

/** The module of a revision (what GET /api/meta/client names as `rules_module`). */
export function clientModulePath(revision: number): string {
  return `/api/meta/client/modules/${revision}.js`;
}

const MODULE_FILE = /^(\d{1,15})\.js$/;

/**
 * What the UIs load: the metadata as the caller may see it (engine/src/projection) and the
 * revision's rules module (engine/src/client), both personal and cached by revision.
 */
export const clientRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  /*
   * The ETag changes with the metadata revision, the caller's grants and identity, and the
   * request's language; a UI that sends it back in If-None-Match gets a bodiless 304.
   */
  defineRoute({
    method: 'GET',
    url: '/api/meta/client',
    access: 'signed-in',
    openapi: {
      operationId: 'get_client_metadata',
      summary: 'The metadata as your UI may see it',
      description:
        'Objects, fields (with type settings and whether you may edit them), layouts, views, active validation rules and approval processes, cut to what you may see, with who you are and what you may do, and where your rules module is. The ETag changes with the metadata revision, your roles, permissions and department, the request language, and (within a few seconds) your name and email: send it back in If-None-Match to get 304 while nothing changed.',
      tag: CLIENT_TAG,
      responses: {
        200: jsonResponse('The projection.', schemaRef('ClientMetadata'), {
          ETag: { description: 'Send it back in If-None-Match.', schema: { type: 'string' } },
          'X-CRM-Revision': { description: 'The metadata revision.', schema: { type: 'integer' } },
        }),
        304: { description: 'Not modified: the If-None-Match tag is current. No body.' },
      },
    },
    handler: async (request, reply, { engine }) => {
      const answer = await engine.clientMetadata(actorOf(request), { locale: request.locale });
      reply
        .header('etag', answer.etag)
        // Personal and language-dependent: shared caches must not serve it to others, and every client revalidates.
        .header('vary', 'Accept-Language, Authorization, Cookie')
        .header('cache-control', 'private, no-cache')
        .header('x-crm-revision', String(answer.revision));
      if (ifNoneMatchHits(request, answer.etag)) return reply.code(304).send();
      return { ...answer.body(), rules_module: clientModulePath(answer.revision) };
    },
  }),
  /*
   * The caller's compiled rules and input validators for the current revision as one ES module
   * (engine.clientModule), so UIs served with `script-src 'self'` run them without eval. Another
   * revision's module is not kept: 404, and the page reloads the projection. Immutable in the
   * caller's browser only (private, varying on the credentials): what decides a user's content
   * (roles, users, departments) is metadata too, so a change makes a new revision and URL.
   */
  defineRoute({
    method: 'GET',
    url: '/api/meta/client/modules/:file',
    access: 'signed-in',
    params: { file: pathParameter('file', 'The revision and `.js`, as `rules_module` of GET /api/meta/client names it.', { type: 'string', pattern: '^\\d{1,15}\\.js$' }) },
    openapi: {
      operationId: 'get_client_rules_module',
      summary: 'Your compiled rules and input validators (an ES module)',
      description:
        'Generated per metadata revision: formulas, defaults, validation rules and section conditions of what you may see, and the input validators, for pages that may not evaluate code (Content-Security-Policy `script-src \'self\'`). Load it with @crm/engine/core `moduleCompilers(await import(url))`.',
      tag: CLIENT_TAG,
      responses: {
        200: { description: 'The module (text/javascript).', content: { 'text/javascript': { schema: { type: 'string' } } } },
        304: { description: 'Not modified. No body.' },
      },
      errors: [404],
    },
    handler: async (request, reply, { engine }) => {
      const revision = MODULE_FILE.exec(request.params.file)?.[1];
      const module = await engine.clientModule(actorOf(request));
      if (revision === undefined || Number(revision) !== module.revision) {
        throw new CrmError('route_not_found', { method: request.method, path: request.url.split('?')[0]! });
      }
      reply
        .header('etag', module.etag)
        .header('vary', 'Authorization, Cookie')
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff');
      if (ifNoneMatchHits(request, module.etag)) return reply.code(304).send();
      return reply.type('text/javascript; charset=utf-8').send(module.source);
    },
  }),
];
