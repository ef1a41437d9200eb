import { CrmError, SCHEMA_OPERATIONS, type ChangeReport, type Engine, type Locale } from '@crm/engine';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { DocumentPart, ParameterObject, ReferenceObject, ResponseObject } from '../openapi/types';

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
  return methods.some((method) => isMetadataWriteRoute(method, route.url));
}

/** Whether a route (method and URL as declared) changes metadata, and so takes `?dry_run=true`. */
export function isMetadataWriteRoute(method: string, url: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  return METADATA_PATHS.some((pattern) => pattern.test(url));
}

/** The `dry_run` parameter as the OpenAPI document lists it on every metadata write. */
export const DRY_RUN_PARAMETER: ParameterObject = {
  name: 'dry_run',
  in: 'query',
  description:
    'true: do not make the change; answer 200 with what it would do (a `ChangePlan`: the verdict, the error it would get, and its schema operations with the rows they touch). Nothing is written.',
  schema: { type: 'boolean' },
};

/**
 * An operation's 200 response with a dry run's answer beside its own: added where the change
 * answers 201 or 204, combined (oneOf) where it already answers 200.
 */
export function withDryRunResponse(responses: Readonly<Record<string, ResponseObject | ReferenceObject>>): Record<string, ResponseObject | ReferenceObject> {
  const plan = { $ref: '#/components/schemas/ChangePlan' };
  const own = responses['200'];
  if (!own) return { ...responses, 200: { description: 'With dry_run=true: what the change would do.', content: { 'application/json': { schema: plan } } } };
  if ('$ref' in own) return responses;
  const schema = own.content?.['application/json']?.schema;
  return {
    ...responses,
    200: { ...own, description: `${own.description} With dry_run=true: what the change would do.`, content: { 'application/json': { schema: schema ? { oneOf: [schema, plan] } : plan } } },
  };
}

/** Schemas of a dry run's answer. */
export function dryRunComponents(): DocumentPart {
  return {
    paths: {},
    schemas: {
      ChangePlan: {
        type: 'object',
        description: 'What a metadata change would do (`?dry_run=true`).',
        properties: {
          dry_run: { const: true },
          valid: { type: 'boolean', description: 'Whether the change would be made.' },
          error: { $ref: '#/components/schemas/ErrorDetail', description: 'What the change would answer, when refused.' },
          operations: { type: 'array', items: { $ref: '#/components/schemas/SchemaOperation' }, description: 'Its schema operations, in order (up to a refusal by the data).' },
          revision: { type: 'integer', description: 'The revision it was planned against.' },
        },
        required: ['dry_run', 'valid', 'operations'],
      },
      SchemaOperation: {
        type: 'object',
        properties: {
          op: { enum: [...SCHEMA_OPERATIONS] },
          table: { type: 'string' },
          column: { type: 'string' },
          index: { type: 'string' },
          rewrites: { type: 'boolean', description: 'PostgreSQL rewrites the whole table under its lock.' },
          rows: { type: 'integer', description: 'Records it reads or writes (recycle bin included).' },
          failing_rows: { type: 'integer', description: 'Records that cannot take the change as asked.' },
          from: { type: 'string' },
          to: { type: 'string' },
          workflow: { type: 'string' },
        },
        required: ['op', 'rewrites'],
      },
    },
  };
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
