import type { Engine } from '@crm/engine';
import fastifyCookie from '@fastify/cookie';
import fp from 'fastify-plugin';
import { authenticateRequest } from './authenticate-request';
import { authRoutes } from './auth-routes';
import { signInRateLimit, type SignInRateLimit } from './sign-in-rate-limit';
import { registerRoutes } from '../http/route-declaration';

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
 * routes (/api/auth/..., declared in auth-routes.ts) are registered in an encapsulated child.
 */
export const authPlugin = fp<AuthOptions & { engine: Engine }>(
  async (app, options) => {
    await app.register(fastifyCookie);
    app.addHook('onRequest', authenticateRequest(options.engine));
    // Its own scope: the sign-in rate limiter's plugin is registered for these routes alone.
    await app.register(async (scope) => {
      const countSignInAttempt = await signInRateLimit(scope, options.signInRateLimit);
      await registerRoutes(scope, authRoutes, { engine: options.engine, cookies: { secure: options.secureCookies !== false }, countSignInAttempt });
    });
  },
  { name: 'crm-auth', fastify: '5.x' },
);
