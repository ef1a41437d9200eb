import { jsonBody, jsonResponse, noContent, operation, pathParameter } from './operations';
import { CSRF_HEADER, SESSION_COOKIE } from './security';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/** Sign-in, the caller's identity and API tokens. */

const TAG = 'auth';
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

const schemas: Record<string, SchemaObject> = {
  User: {
    type: 'object',
    properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, email: { type: ['string', 'null'], format: 'email' } },
    required: ['id', 'name', 'email'],
  },
  SignInRequest: {
    type: 'object',
    properties: { email: { type: 'string', format: 'email' }, password: { type: 'string', format: 'password' } },
    required: ['email', 'password'],
    additionalProperties: false,
  },
  SignInResponse: {
    type: 'object',
    properties: {
      user: schemaRef('User'),
      csrf_token: { type: 'string', description: `Send it as \`${CSRF_HEADER}\` with every POST, PATCH and DELETE made with this session.` },
      expires_at: { ...dateTime, description: 'When the session ends (fixed at sign-in, not sliding).' },
    },
    required: ['user', 'csrf_token', 'expires_at'],
  },
  Me: {
    type: 'object',
    properties: {
      user: schemaRef('User'),
      auth: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['session', 'token'] },
          token_id: { type: 'string', format: 'uuid', description: 'The API token used (kind token only).' },
        },
        required: ['kind'],
      },
    },
    required: ['user', 'auth'],
  },
  ApiToken: {
    type: 'object',
    description: 'An API token as listed: never the token itself.',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      prefix: { type: 'string', description: 'The first characters of the token, to recognise it.' },
      created_at: dateTime,
      expires_at: nullableDateTime,
      last_used_at: nullableDateTime,
      revoked_at: nullableDateTime,
    },
    required: ['id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at'],
  },
  ApiTokenList: {
    type: 'object',
    properties: { data: { type: 'array', items: schemaRef('ApiToken') } },
    required: ['data'],
  },
  ApiTokenCreateRequest: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      expires_at: { ...nullableDateTime, description: 'A future instant; omitted or null: the token does not expire.' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  ApiTokenCreated: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      token: { type: 'string', description: 'The token itself. Shown this once: store it now.' },
      prefix: { type: 'string' },
      created_at: dateTime,
      expires_at: nullableDateTime,
    },
    required: ['id', 'name', 'token', 'prefix', 'created_at', 'expires_at'],
  },
};

export function authPaths(): DocumentPart {
  return {
    tags: [{ name: TAG, description: 'Sign-in, sessions and API tokens' }],
    schemas,
    paths: {
      '/api/auth/sign-in': {
        post: operation({
          operationId: 'sign_in',
          summary: 'Sign in with email and password',
          description: `Starts a browser session: sets the \`${SESSION_COOKIE}\` cookie (HttpOnly) and returns the CSRF token that state-changing requests on this session must send as \`${CSRF_HEADER}\`. Repeated failures are rate-limited (429).`,
          tag: TAG,
          access: 'public',
          requestBody: jsonBody(schemaRef('SignInRequest')),
          responses: {
            200: jsonResponse('Signed in.', schemaRef('SignInResponse'), {
              'Set-Cookie': { description: `The \`${SESSION_COOKIE}\` session cookie.`, schema: { type: 'string' } },
            }),
          },
          errors: [401, 429],
        }),
      },
      '/api/auth/sign-out': {
        post: operation({
          operationId: 'sign_out',
          summary: 'End the current session',
          tag: TAG,
          access: 'write',
          responses: { 204: noContent('Signed out; the session cookie is cleared.') },
        }),
      },
      '/api/auth/me': {
        get: operation({
          operationId: 'get_me',
          summary: 'Who the caller is and how it authenticated',
          tag: TAG,
          access: 'read',
          responses: { 200: jsonResponse('The caller.', schemaRef('Me')) },
        }),
      },
      '/api/auth/tokens': {
        get: operation({
          operationId: 'list_api_tokens',
          summary: "The caller's API tokens",
          tag: TAG,
          access: 'read',
          responses: { 200: jsonResponse('The tokens.', schemaRef('ApiTokenList')) },
        }),
        post: operation({
          operationId: 'create_api_token',
          summary: 'Create an API token',
          tag: TAG,
          access: 'write',
          requestBody: jsonBody(schemaRef('ApiTokenCreateRequest')),
          responses: { 201: jsonResponse('The new token, with the token itself (shown once).', schemaRef('ApiTokenCreated')) },
        }),
      },
      '/api/auth/tokens/{id}': {
        delete: operation({
          operationId: 'revoke_api_token',
          summary: 'Revoke an API token',
          tag: TAG,
          access: 'write',
          parameters: [pathParameter('id', 'Token id.', { type: 'string', format: 'uuid' })],
          responses: { 204: noContent('Revoked: requests with it are refused from now on.') },
          errors: [404],
        }),
      },
    },
  };
}
