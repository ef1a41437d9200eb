import { MIN_PASSWORD_LENGTH, OPERATIONS } from '@crm/engine';
import { definedPaths, jsonBody, jsonResponse, noContent, operation, pathItem, pathParameter } from './operations';
import { CSRF_HEADER, SESSION_COOKIE } from './security';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';
import type { Viewer } from './viewer';

/** Sign-in, the caller's identity and password, and API tokens (with their scopes). */

const TAG = 'auth';
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

const tokenScopes: SchemaObject = {
  type: ['object', 'null'],
  description:
    'Limits a token to these operations per object API name (`*`: every object not listed); never more than its user may do. A scoped token cannot create tokens or administer. null or absent: everything its user may do.',
  propertyNames: { pattern: '^([a-z][a-z0-9_]{0,62}|\\*)$' },
  additionalProperties: { type: 'array', items: { type: 'string', enum: [...OPERATIONS] } },
  examples: [{ deal: ['read', 'export'], '*': ['read'] }],
};

const schemas: Record<string, SchemaObject> = {
  SignedInUser: {
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
      user: schemaRef('SignedInUser'),
      csrf_token: { type: 'string', description: `Send it as \`${CSRF_HEADER}\` with every POST, PATCH and DELETE made with this session.` },
      expires_at: { ...dateTime, description: 'When the session ends (fixed at sign-in, not sliding).' },
    },
    required: ['user', 'csrf_token', 'expires_at'],
  },
  Me: {
    type: 'object',
    properties: {
      user: schemaRef('SignedInUser'),
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
      scopes: tokenScopes,
    },
    required: ['id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'scopes'],
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
      scopes: tokenScopes,
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
      scopes: tokenScopes,
    },
    required: ['id', 'name', 'token', 'prefix', 'created_at', 'expires_at', 'scopes'],
  },
  PasswordChangeRequest: {
    type: 'object',
    properties: {
      current_password: { type: 'string', format: 'password' },
      new_password: { type: 'string', format: 'password', minLength: MIN_PASSWORD_LENGTH },
    },
    required: ['current_password', 'new_password'],
    additionalProperties: false,
  },
};

export function authPaths(viewer: Viewer): DocumentPart {
  return {
    tags: [{ name: TAG, description: 'Sign-in, sessions, passwords and API tokens' }],
    schemas,
    paths: definedPaths({
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
      '/api/auth/password': {
        post: operation({
          operationId: 'change_password',
          summary: 'Change your own password',
          description: `Needs the current password (a wrong one is a 400 on \`current_password\`); the new one has at least ${MIN_PASSWORD_LENGTH} characters. Ends all your sessions.`,
          tag: TAG,
          access: 'write',
          requestBody: jsonBody(schemaRef('PasswordChangeRequest')),
          responses: { 204: noContent('Changed.') },
        }),
      },
      '/api/auth/tokens': pathItem({
        get: operation({
          operationId: 'list_api_tokens',
          summary: "The caller's API tokens",
          description: 'Revoked tokens are not listed; expired ones are, so they can be recognised.',
          tag: TAG,
          access: 'read',
          responses: { 200: jsonResponse('The tokens.', schemaRef('ApiTokenList')) },
        }),
        post:
          viewer.createsTokens &&
          operation({
            operationId: 'create_api_token',
            summary: 'Create an API token',
            description: 'Optionally limited by `scopes`. A request made with a scoped token cannot create tokens (403).',
            tag: TAG,
            access: 'write',
            requestBody: jsonBody(schemaRef('ApiTokenCreateRequest')),
            responses: { 201: jsonResponse('The new token, with the token itself (shown once).', schemaRef('ApiTokenCreated')) },
          }),
      }),
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
    }),
  };
}
