import { CrmError, MIN_PASSWORD_LENGTH, type Engine, type FieldIssue } from '@crm/engine';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import { AUTH_TAG } from '../openapi/auth-schemas';
import { jsonBody, jsonResponse, noContent, pathParameter } from '../openapi/operations';
import { CSRF_HEADER } from '../openapi/security';
import { schemaRef } from '../openapi/types';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies, type CookiePolicy } from './cookies';
import type { SignInAttemptCheck } from './sign-in-rate-limit';

/** What the auth routes' handlers are registered with (auth-plugin.ts). */
export interface AuthRouteDeps {
  readonly engine: Engine;
  readonly cookies: CookiePolicy;
  readonly countSignInAttempt: SignInAttemptCheck;
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

function authOf(request: FastifyRequest) {
  if (!request.auth) throw new CrmError('unauthenticated');
  return request.auth;
}

const tag = AUTH_TAG.name;

/**
 * /api/auth: sign-in and sign-out for browsers (cookies), who am I, the caller's password and API
 * tokens. Thin: each route parses HTTP and calls one engine operation.
 */
export const authRoutes: readonly DeclaredRoute<AuthRouteDeps>[] = [
  defineRoute({
    method: 'POST',
    url: '/api/auth/sign-in',
    access: 'public',
    openapi: {
      operationId: 'sign_in',
      summary: 'Sign in with email and password',
      description: `Starts a browser session: sets the \`${SESSION_COOKIE}\` cookie (HttpOnly) and returns the CSRF token that state-changing requests on this session must send as \`${CSRF_HEADER}\`. Repeated failures are rate-limited (429).`,
      tag,
      requestBody: jsonBody(schemaRef('SignInRequest')),
      responses: {
        200: jsonResponse('Signed in.', schemaRef('SignInResponse'), {
          'Set-Cookie': { description: `The \`${SESSION_COOKIE}\` session cookie.`, schema: { type: 'string' } },
        }),
      },
      errors: [401, 429],
    },
    handler: async (request, reply, { engine, cookies, countSignInAttempt }) => {
      const { email, password } = signInBody(request.body);
      await countSignInAttempt(request);
      const { token, session, user } = await engine.auth.signIn(email, password, { ip: request.ip, userAgent: request.headers['user-agent'] });
      // A browser signing in again leaves no orphaned session behind.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await engine.auth.signOut(previous);
      setSessionCookies(reply, cookies, token, session.csrfToken, session.expiresAt);
      return { user, csrf_token: session.csrfToken, expires_at: session.expiresAt };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/sign-out',
    access: 'signed-in',
    openapi: {
      operationId: 'sign_out',
      summary: 'End the current session',
      tag,
      responses: { 204: noContent('Signed out; the session cookie is cleared.') },
    },
    handler: async (request, reply, { engine, cookies }) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (request.auth?.kind === 'session' && cookie) await engine.auth.signOut(cookie);
      clearSessionCookies(reply, cookies);
      return reply.status(204).send();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/auth/me',
    access: 'signed-in',
    openapi: {
      operationId: 'get_me',
      summary: 'Who the caller is and how it authenticated',
      tag,
      responses: { 200: jsonResponse('The caller.', schemaRef('Me')) },
    },
    handler: async (request, _reply, { engine }) => {
      const auth = authOf(request);
      return meOf(auth, await engine.users.get(actorOf(request), auth.userId));
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/auth/me',
    access: 'signed-in',
    openapi: {
      operationId: 'rename_me',
      summary: 'Change your own name',
      description: 'The one thing anyone changes about themselves; e-mail, roles, department and manager are an administrator\'s (`PATCH /api/users/{id}`).',
      tag,
      requestBody: jsonBody(schemaRef('MeUpdateRequest')),
      responses: { 200: jsonResponse('The caller, renamed.', schemaRef('Me')) },
    },
    handler: async (request, _reply, { engine }) => meOf(authOf(request), await engine.users.renameSelf(actorOf(request), request.body)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/password',
    access: 'signed-in',
    openapi: {
      operationId: 'change_password',
      summary: 'Change your own password',
      description: `Needs the current password (a wrong one is a 400 on \`current_password\`); the new one has at least ${MIN_PASSWORD_LENGTH} characters. Ends all your sessions.`,
      tag,
      requestBody: jsonBody(schemaRef('PasswordChangeRequest')),
      responses: { 204: noContent('Changed.') },
    },
    handler: async (request, reply, { engine }) => {
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      const issues: FieldIssue[] = [];
      for (const key of ['current_password', 'new_password'] as const) if (typeof body[key] !== 'string' || body[key] === '') issues.push({ path: key, code: 'required' });
      for (const key of Object.keys(body)) if (key !== 'current_password' && key !== 'new_password') issues.push({ path: key, code: 'unknown_field' });
      if (issues.length) throw new CrmError('validation_failed', {}, issues);
      await engine.auth.changeOwnPassword(actorOf(request), body.current_password as string, body.new_password as string);
      return reply.status(204).send();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/auth/tokens',
    access: 'signed-in',
    openapi: {
      operationId: 'list_api_tokens',
      summary: "The caller's API tokens",
      description: 'Revoked tokens are not listed; expired ones are, so they can be recognised.',
      tag,
      responses: { 200: jsonResponse('The tokens.', schemaRef('ApiTokenList')) },
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.auth.listTokens(actorOf(request)) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/tokens',
    access: 'signed-in',
    // A scoped token may not create tokens, so they are not described to it.
    describedTo: (viewer) => viewer.createsTokens,
    openapi: {
      operationId: 'create_api_token',
      summary: 'Create an API token',
      description: 'Optionally limited by `scopes`. A request made with a scoped token cannot create tokens (403).',
      tag,
      requestBody: jsonBody(schemaRef('ApiTokenCreateRequest')),
      responses: { 201: jsonResponse('The new token, with the token itself (shown once).', schemaRef('ApiTokenCreated')) },
    },
    handler: async (request, reply, { engine }) => {
      const created = await engine.auth.createToken(actorOf(request), (request.body ?? {}) as Parameters<Engine['auth']['createToken']>[1]);
      return reply.status(201).send(created);
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/auth/tokens/:id',
    access: 'signed-in',
    params: { id: pathParameter('id', 'Token id.', { type: 'string', format: 'uuid' }) },
    openapi: {
      operationId: 'revoke_api_token',
      summary: 'Revoke an API token',
      tag,
      responses: { 204: noContent('Revoked: requests with it are refused from now on.') },
      errors: [404],
    },
    handler: async (request, reply, { engine }) => {
      await engine.auth.revokeToken(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  }),
];

/** The `Me` answer: who the caller is and how it authenticated. */
function meOf(auth: ReturnType<typeof authOf>, user: { id: string; name: string; email: string | null }) {
  return {
    user: { id: user.id, name: user.name, email: user.email },
    auth: auth.kind === 'token' ? { kind: 'token' as const, token_id: auth.tokenId } : { kind: 'session' as const },
  };
}
