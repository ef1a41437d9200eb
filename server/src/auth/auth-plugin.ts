import type { Engine } from '@crm/engine';
import fastifyCookie from '@fastify/cookie';
import fp from 'fastify-plugin';
import { authenticateRequest } from './authenticate-request';
import { authRoutes } from './auth-routes';
import type { SignInRateLimit } from './sign-in-rate-limit';

export interface AuthOptions {
  /** Mark session cookies Secure (default true). Set false only for plain-HTTP deployments off localhost. */
  readonly secureCookies?: boolean;
  /** Sign-in attempt limits (defaults: 10 per email and 30 per address in 5 minutes). */
  readonly signInRateLimit?: SignInRateLimit;
}

/**
 * Authentication for the whole app. Wrapped with fastify-plugin on purpose: its onRequest hook
 * must run for the routes of every sibling plugin (metadata, records, ...), so it is one of the
 * few plugins that is not encapsulated. What it decides is in authenticate-request.ts; its
 * routes (/api/auth/...) are an ordinary encapsulated child.
 */
export const authPlugin = fp<AuthOptions & { engine: Engine }>(
  async (app, options) => {
    await app.register(fastifyCookie);
    app.addHook('onRequest', authenticateRequest(options.engine));
    await app.register(authRoutes, {
      prefix: '/api/auth',
      engine: options.engine,
      cookies: { secure: options.secureCookies !== false },
      signInRateLimit: options.signInRateLimit,
    });
  },
  { name: 'crm-auth', fastify: '5.x' },
);
