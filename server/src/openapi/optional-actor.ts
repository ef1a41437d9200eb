import { CrmError, userActor, type Actor, type Engine } from '@crm/engine';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../auth/cookies';

/**
 * The caller of GET /api/openapi.json, which is public: the auth hook does not run for it, so
 * the route authenticates optionally, with the same credentials and the same rules as the rest
 * of the API (auth/authenticate-request.ts). An Authorization header must hold a valid API token,
 * else 401 as everywhere (a script with an expired token learns so instead of silently getting
 * a smaller document). A session cookie that is no longer valid counts as no credentials: a
 * browser keeps sending an expired cookie, and the docs page must still load for it.
 * GET needs no CSRF token.
 */

const BEARER = /^Bearer +(\S+) *$/i;

/** The request's actor, or null when it carries no (usable) credentials. */
export async function optionalActor(engine: Engine, request: FastifyRequest, reply: FastifyReply): Promise<Actor | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const raw = BEARER.exec(authorization)?.[1];
    const token = raw ? await engine.auth.authenticateToken(raw) : null;
    if (!token) {
      reply.header('www-authenticate', 'Bearer realm="crm"');
      throw new CrmError('unauthenticated');
    }
    return userActor(token.userId, { scopes: token.scopes ?? null });
  }
  const cookie = request.cookies[SESSION_COOKIE];
  const session = cookie ? await engine.auth.authenticateSession(cookie) : null;
  return session ? userActor(session.userId) : null;
}
