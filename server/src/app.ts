import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { isCrmError, systemActor, type Engine, type Locale } from '@crm/engine';
import { sql } from 'kysely';

export interface AppOptions {
  readonly logger?: FastifyServerOptions['logger'];
  /** Built UI folders (vite `dist`), served when they exist. */
  readonly runtimeUiDir?: string;
  readonly studioDir?: string;
}

export function localeOf(acceptLanguage: string | undefined): Locale {
  return acceptLanguage && /^zh\b/i.test(acceptLanguage.trim()) ? 'zh-CN' : 'en';
}

/**
 * The HTTP shell around the engine. This issue ships health, readiness and the built UIs; the
 * generated metadata and record API builds on it.
 */
export async function buildApp(engine: Engine, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });

  app.setErrorHandler((error, request, reply) => {
    const locale = localeOf(request.headers['accept-language']);
    if (isCrmError(error)) return reply.status(error.status).send(error.toBody(locale));
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    const status = typeof statusCode === 'number' ? statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const message = status >= 500 ? 'Something went wrong on our side' : String((error as Error).message ?? error);
    return reply.status(status).send({ error: { code: status >= 500 ? 'internal' : 'validation_failed', message, fields: [] } });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(engine.database.db);
      const metadata = await engine.metadata(systemActor);
      return { status: 'ready', database: engine.database.kind, revision: metadata.revision };
    } catch (error) {
      reply.status(503);
      return { error: { code: 'internal', message: `database not ready: ${(error as Error).message}`, fields: [] } };
    }
  });

  if (options.studioDir && existsSync(options.studioDir)) {
    await app.register(fastifyStatic, { root: options.studioDir, prefix: '/studio/', decorateReply: false });
  }
  if (options.runtimeUiDir && existsSync(options.runtimeUiDir)) {
    await app.register(fastifyStatic, { root: options.runtimeUiDir, prefix: '/', decorateReply: false });
  }
  return app;
}
