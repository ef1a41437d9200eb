import { MIN_PASSWORD_LENGTH, OPERATIONS } from '@crm/engine';
import { CSRF_HEADER } from './security';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/** The shapes of sign-in, the caller's identity and password, and API tokens (auth/auth-routes.ts). */

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
  MeUpdateRequest: {
    type: 'object',
    properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
    required: ['name'],
    additionalProperties: false,
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

export const AUTH_TAG = { name: 'auth', description: 'Sign-in, sessions, passwords and API tokens' } as const;

export function authComponents(): DocumentPart {
  return { paths: {}, tags: [AUTH_TAG], schemas };
}
