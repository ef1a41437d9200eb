import { CrmError, secretsEqual, userActor, type Engine, type SessionInfo, type TokenInfo } from '@crm/engine';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify';
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

function admitToken(request: FastifyRequest, reply: FastifyReply, token: TokenInfo | null): void {
  if (!token) throw refuse(reply);
  request.auth = { kind: 'token', userId: token.userId, tokenId: token.tokenId };
  request.actor = userActor(token.userId, { scopes: token.scopes ?? null });
}

function admitSession(request: FastifyRequest, reply: FastifyReply, session: SessionInfo | null): void {
  if (!session) throw refuse(reply);
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || !secretsEqual(header, session.csrfToken)) throw new CrmError('csrf_failed');
  }
  request.auth = { kind: 'session', userId: session.userId, sessionId: session.sessionId, csrfToken: session.csrfToken };
  request.actor = userActor(session.userId);
}

/**
 * The onRequest hook that sets request.auth and request.actor. An Authorization header must hold
 * a valid API token (it is never ignored in favour of a cookie). Otherwise the session cookie
 * counts, and for unsafe methods only with X-CSRF-Token equal to the session's CSRF token: a
 * cookie is ambient authority that another site can make the browser send, a header is not.
 * Bearer requests need no CSRF token for the same reason.
 *
 * A callback hook rather than an async one: it runs on every request, and a token the engine
 * has in memory (every use but the first) is admitted without a promise (AuthService.knownToken).
 */
export function authenticateRequest(engine: Engine): onRequestHookHandler {
  const patterns = new Map<string, boolean>();
  return function authenticate(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    // done() is called outside the try: it may run the rest of the request synchronously, whose errors are not this hook's.
    let outcome: Promise<void> | undefined;
    try {
      outcome = check(request, reply);
    } catch (error) {
      return done(error as Error);
    }
    if (outcome) outcome.then(() => done(), done);
    else done();
  };

  /** Undefined when settled without waiting (most requests); else the promise of the check. */
  function check(request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
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
      const known = raw ? engine.auth.knownToken(raw) : null;
      if (known !== undefined) {
        admitToken(request, reply, known);
        return;
      }
      return engine.auth.authenticateToken(raw!).then((token) => admitToken(request, reply, token));
    }

    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) throw refuse(reply);
    return engine.auth.authenticateSession(cookie).then((session) => admitSession(request, reply, session));
  }
}
