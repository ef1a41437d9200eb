import { maxHeaderSize } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type RouteOptions } from 'fastify';
import type { Engine } from '@crm/engine';
import { engineRoutes } from './api-routes';
import { authPlugin, type AuthOptions } from './auth/auth-plugin';
import { answerClientError } from './http/client-errors';
import { installDryRun } from './metadata/dry-run';
import { answerFrameworkError, installErrorHandling } from './http/error-handler';
import { installJsonBodyParser } from './http/body-parsers';
import { refuseNulInQueryAndHeaders } from './http/nul-characters';
import { localeOf } from './http/request-context';
import { registerRoutes } from './http/route-declaration';
import { docsPage } from './openapi/docs-page';
import { documentFor } from './openapi/document-cache';
import { serveUis } from './ui/serve-ui';

export interface AppOptions {
  readonly logger?: FastifyServerOptions['logger'];
  /** Built UI folders (vite `dist`), served when they exist. */
  readonly runtimeUiDir?: string;
  readonly studioDir?: string;
  readonly auth?: AuthOptions;
  /** Largest accepted request body (bulk requests need room). */
  readonly bodyLimit?: number;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits use it). */
  readonly trustProxy?: boolean;
  /** Told of every route as it is registered (Fastify's onRoute), for tools and tests that list them. */
  readonly onRoute?: (route: RouteOptions) => void;
}

export { localeOf };

/**
 * The HTTP server around the engine: authentication, the metadata API, the record API generated
 * from metadata at request time (so a metadata change is live on the next request), OpenAPI and
 * the built UIs. Routes are thin: they parse HTTP and call one engine operation.
 */
export async function buildApp(engine: Engine, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Keep-alive connections are closed on shutdown once their request finished.
    forceCloseConnections: 'idle',
    // Requests refused before routing answer in the one error shape too.
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // No path parameter is longer than the request line Node accepts, so Fastify never answers
    // its own 414 for one: the route judges it (an unknown object, a malformed id).
    routerOptions: { maxParamLength: maxHeaderSize },
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  // JSON only: a text/plain body is refused (415) rather than handed to the engine as a string.
  app.removeContentTypeParser('text/plain');
  installJsonBodyParser(app);
  app.decorateRequest('actor', null);
  app.decorateRequest('auth', null);
  app.decorateRequest('locale', 'en');
  // A callback hook: an async one costs a promise on every request.
  app.addHook('onRequest', (request, _reply, done) => {
    request.locale = localeOf(request.headers['accept-language']);
    let refused: Error | undefined;
    try {
      refuseNulInQueryAndHeaders(request);
    } catch (error) {
      refused = error as Error;
    }
    done(refused);
  });
  // The UIs' page fallback is known only once they are registered (below); the not-found handler asks it first.
  let appShell: (request: FastifyRequest, reply: FastifyReply) => boolean = () => false;
  installErrorHandling(app, (request, reply) => appShell(request, reply));
  installDryRun(app, engine);

  await app.register(authPlugin, { engine, ...options.auth });
  await app.register(async (scope) => registerRoutes(scope, engineRoutes, { engine, documentFor: (actor) => documentFor(engine, actor) }));
  await app.register(docsPage);

  appShell = await serveUis(app, options);
  return app;
}
