import { CrmError, secretsEqual, userActor, type Engine } from '@crm/engine';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { RouteAccess } from '../http/route-declaration';
import { SESSION_COOKIE } from './cookies';

/** The docs page: static files under /api that anyone may load (it is not API, so not declared). */
function isDocsPage(pattern: string): boolean {
  return pattern === '/api/docs' || pattern.startsWith('/api/docs/');
}

/**
 * Whether the route that will answer needs a signed-in caller. A declared route says so itself
 * (its `access`, http/route-declaration.ts). For the others it is decided on the matched route's
 * pattern, not the raw URL, so it holds however the URL is spelled (case, slashes, encoding):
 * everything under /api/ except the docs page. Other routes (the static UIs, and the 404 answer
 * to URLs no route matches) are public.
 */
export function requiresAuthentication(pattern: string | undefined, access: RouteAccess | undefined): boolean {
  if (access !== undefined) return access !== 'public';
  if (pattern === undefined) return false;
  return (pattern === '/api' || pattern.startsWith('/api/')) && !isDocsPage(pattern);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer +(\S+) *$/i;

function refuse(reply: FastifyReply): CrmError {
  reply.header('www-authenticate', 'Bearer realm="crm"');
  return new CrmError('unauthenticated');
}

/**
 * The onRequest hook that sets request.auth and request.actor. An Authorization header must hold
 * a valid API token (it is never ignored in favour of a cookie). Otherwise the session cookie
 * counts, and for unsafe methods only with X-CSRF-Token equal to the session's CSRF token: a
 * cookie is ambient authority that another site can make the browser send, a header is not.
 * Bearer requests need no CSRF token for the same reason.
 */
export function authenticateRequest(engine: Engine): onRequestAsyncHookHandler {
  const patterns = new Map<string, boolean>();
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const pattern = request.routeOptions.url;
    if (pattern === undefined) return;
    const access = request.routeOptions.config.access;
    let required = access === undefined ? patterns.get(pattern) : access !== 'public';
    if (required === undefined) {
      required = requiresAuthentication(pattern, undefined);
      patterns.set(pattern, required);
    }
    if (!required) return;

    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const raw = BEARER.exec(authorization)?.[1];
      const token = raw ? await engine.auth.authenticateToken(raw) : null;
      if (!token) throw refuse(reply);
      request.auth = { kind: 'token', userId: token.userId, tokenId: token.tokenId };
      request.actor = userActor(token.userId, { scopes: token.scopes ?? null });
      return;
    }

    const cookie = request.cookies[SESSION_COOKIE];
    const session = cookie ? await engine.auth.authenticateSession(cookie) : null;
    if (!session) throw refuse(reply);
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !secretsEqual(header, session.csrfToken)) throw new CrmError('csrf_failed');
    }
    request.auth = { kind: 'session', userId: session.userId, sessionId: session.sessionId, csrfToken: session.csrfToken };
    request.actor = userActor(session.userId);
  };
}
