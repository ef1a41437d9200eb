import { CrmError, type Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { QueryReader } from '../http/query';
import { actorOf } from '../http/request-context';

/** The URL a page imports its rules and validators from (the revision's module). */
export const CLIENT_MODULE_ROUTE = '/api/meta/client/modules/:file';

/** The module of a revision (what GET /api/meta/client names as `rules_module`). */
export function clientModulePath(revision: number): string {
  return `/api/meta/client/modules/${revision}.js`;
}

const MODULE_FILE = /^(\d{1,15})\.js$/;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * GET /api/meta/client/modules/<revision>.js: the caller's compiled rules and input validators
 * for the current metadata revision as one ES module (engine.clientModule), so UIs served with
 * `script-src 'self'` run them without eval. Signed-in callers only (every /api route is).
 * Another revision's module is not kept: 404, and the page reloads the projection for the
 * current one. A revision's URL is cached as immutable by the caller's browser only (private,
 * varying on the credentials: the content depends on who asks). That is safe because what
 * decides a user's content (roles, users, departments) is metadata too: changing it makes a new
 * revision, hence a new URL. The ETag comes from the text.
 */
export const clientModuleRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.get<{ Params: { file: string } }>(CLIENT_MODULE_ROUTE, async (request, reply) => {
    new QueryReader(request.query).done();
    const actor = actorOf(request);
    const revision = MODULE_FILE.exec(request.params.file)?.[1];
    const module = await engine.clientModule(actor);
    if (revision === undefined || Number(revision) !== module.revision) {
      throw new CrmError('route_not_found', { method: request.method, path: request.url.split('?')[0]! });
    }
    reply
      .header('etag', module.etag)
      .header('vary', 'Authorization, Cookie')
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff');
    if (matches(request.headers['if-none-match'], module.etag)) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(module.source);
  });
};
