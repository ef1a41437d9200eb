import type { SecurityRequirement, SecuritySchemeObject } from './types';

/**
 * How a caller proves who it is. An API token goes in the Authorization header; a browser
 * session is the `crm_session` cookie set by sign-in, and because browsers send cookies on
 * their own, every state-changing request on a session must also echo the session's CSRF token
 * in `X-CSRF-Token` (API tokens need no CSRF token: a browser never attaches them by itself).
 */

export const SESSION_COOKIE = 'crm_session';
export const CSRF_HEADER = 'X-CSRF-Token';

export const securitySchemes: Readonly<Record<string, SecuritySchemeObject>> = {
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'API token',
    description: 'An API token from `POST /api/auth/tokens`, sent as `Authorization: Bearer <token>`.',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `The session cookie set by \`POST /api/auth/sign-in\` (HttpOnly). POST, PATCH and DELETE requests on a session must also send \`${CSRF_HEADER}\`.`,
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description: `The \`csrf_token\` returned by sign-in. Required with the session cookie on every POST, PATCH and DELETE; a missing or wrong one is refused with 403 \`csrf_failed\`.`,
  },
};

/** Reading: an API token or a session. */
export const readSecurity: readonly SecurityRequirement[] = [{ apiToken: [] }, { session: [] }];

/** Changing state: an API token, or a session together with its CSRF token. */
export const writeSecurity: readonly SecurityRequirement[] = [{ apiToken: [] }, { session: [], csrfToken: [] }];

/** No authentication. */
export const publicAccess: readonly SecurityRequirement[] = [];
