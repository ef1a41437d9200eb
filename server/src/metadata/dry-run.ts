import { CrmError, type ChangeReport, type Engine, type Locale } from '@crm/engine';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';

/**
 * `?dry_run=true` on every metadata write: the route's own handler runs inside engine.planChange,
 * so a dry run takes exactly the path the change would (same checks, same parameters), and the
 * answer is the change's plan instead of its result. Wrapping at registration (onRoute) keeps it
 * out of the individual routes, so a new metadata route gets it without a line of its own.
 */
export function installDryRun(app: FastifyInstance, engine: Engine): void {
  app.addHook('onRoute', (route) => {
    if (!isMetadataWrite(route)) return;
    const handler = route.handler;
    route.onRequest = [...toArray(route.onRequest), async (request: FastifyRequest) => takeDryRunParameter(request)];
    route.handler = async function dryRunnable(request, reply) {
      if (!dryRuns.has(request)) return handler.call(this, request, reply);
      const report = await engine.planChange(() => Promise.resolve(handler.call(this, request, reply)));
      return reply.status(200).send(reportBody(report, request.locale ?? 'en'));
    };
  });
}

/** Routes that change metadata through the engine's change runner (documents, roles, departments, users). */
const METADATA_PATHS = [/^\/api\/meta\//, /^\/api\/departments(\/:id)?$/, /^\/api\/users(\/:id)?$/];

function isMetadataWrite(route: RouteOptions): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.every((m) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS')) return false;
  return METADATA_PATHS.some((pattern) => pattern.test(route.url));
}

const dryRuns = new WeakSet<FastifyRequest>();

/** Read (and removed) before the route's own query checks, which refuse parameters they do not know. */
function takeDryRunParameter(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query || !('dry_run' in query)) return;
  const value = query.dry_run;
  delete query.dry_run;
  if (value === 'true' || value === '1' || value === '') dryRuns.add(request);
  else if (value !== 'false' && value !== '0') throw new CrmError('validation_failed', {}, [{ path: 'dry_run', code: 'type', params: { expected: 'true or false' } }]);
}

function reportBody(report: ChangeReport, locale: Locale) {
  return {
    dry_run: true,
    valid: report.valid,
    ...(report.error ? { error: report.error.toBody(locale).error } : {}),
    operations: report.operations,
    ...(report.revision !== undefined ? { revision: report.revision } : {}),
  };
}

function toArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
