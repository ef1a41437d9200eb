// PLACEHOLDER: replaced by the authentication work (sessions, API tokens, CSRF, rate limiting).
import type { Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';

export interface AuthOptions {
  /** Mark session cookies Secure (default true). */
  readonly secureCookies?: boolean;
}

export const authPlugin: FastifyPluginAsync<AuthOptions & { engine: Engine }> = async () => {};
