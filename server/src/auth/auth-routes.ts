import { CrmError, type Engine, type FieldIssue } from '@crm/engine';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { actorOf } from '../http/request-context';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies, type CookiePolicy } from './cookies';
import { signInRateLimit, type SignInRateLimit } from './sign-in-rate-limit';

export interface AuthRoutesOptions {
  readonly engine: Engine;
  readonly cookies: CookiePolicy;
  readonly signInRateLimit?: SignInRateLimit | undefined;
}

function signInBody(body: unknown): { email: string; password: string } {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const key of ['email', 'password'] as const) {
    if (input[key] === undefined || input[key] === '') issues.push({ path: key, code: 'required' });
    else if (typeof input[key] !== 'string') issues.push({ path: key, code: 'type', params: { expected: 'a string' } });
  }
  if (issues.length) throw new CrmError('validation_failed', {}, issues);
  return { email: input.email as string, password: input.password as string };
}

/**
 * /api/auth: sign-in and sign-out for browsers (cookies), who am I, and the caller's API tokens.
 * Thin: each route parses HTTP and calls one engine operation.
 */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, { engine, cookies, signInRateLimit: limits }) => {
  const countAttempt = await signInRateLimit(app, limits);

  app.post('/sign-in', async (request, reply) => {
    const { email, password } = signInBody(request.body);
    await countAttempt(request);
    const { token, session, user } = await engine.auth.signIn(email, password, { ip: request.ip, userAgent: request.headers['user-agent'] });
    // A browser signing in again leaves no orphaned session behind.
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await engine.auth.signOut(previous);
    setSessionCookies(reply, cookies, token, session.csrfToken, session.expiresAt);
    return { user, csrf_token: session.csrfToken, expires_at: session.expiresAt };
  });

  app.post('/sign-out', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (request.auth?.kind === 'session' && cookie) await engine.auth.signOut(cookie);
    clearSessionCookies(reply, cookies);
    return reply.status(204).send();
  });

  app.get('/me', async (request) => {
    const auth = authOf(request);
    const user = await engine.users.get(actorOf(request), auth.userId);
    return {
      user: { id: user.id, name: user.name, email: user.email },
      auth: auth.kind === 'token' ? { kind: 'token' as const, token_id: auth.tokenId } : { kind: 'session' as const },
    };
  });

  app.get('/tokens', async (request) => ({ data: await engine.auth.listTokens(actorOf(request)) }));

  app.post('/tokens', async (request, reply) => {
    const created = await engine.auth.createToken(actorOf(request), (request.body ?? {}) as Parameters<Engine['auth']['createToken']>[1]);
    return reply.status(201).send(created);
  });

  app.post('/password', async (request, reply) => {
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const issues: FieldIssue[] = [];
    for (const key of ['current_password', 'new_password'] as const) if (typeof body[key] !== 'string' || body[key] === '') issues.push({ path: key, code: 'required' });
    for (const key of Object.keys(body)) if (key !== 'current_password' && key !== 'new_password') issues.push({ path: key, code: 'unknown_field' });
    if (issues.length) throw new CrmError('validation_failed', {}, issues);
    await engine.auth.changeOwnPassword(actorOf(request), body.current_password as string, body.new_password as string);
    return reply.status(204).send();
  });

  app.delete<{ Params: { id: string } }>('/tokens/:id', async (request, reply) => {
    await engine.auth.revokeToken(actorOf(request), request.params.id);
    return reply.status(204).send();
  });
};

function authOf(request: FastifyRequest) {
  if (!request.auth) throw new CrmError('unauthenticated');
  return request.auth;
}
