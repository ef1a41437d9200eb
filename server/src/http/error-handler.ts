import { CrmError, isCrmError, reason, schemaReason, type FieldIssue } from '@crm/engine';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JSON_BODY } from './body-parsers';
import { localeOf } from './request-context';

/**
 * Every error leaves in the one shape of DESIGN.md, in the caller's language: catalogue errors as
 * they are, Fastify's own (bad JSON, wrong content type, body too large) mapped to catalogue codes,
 * anything else as a 500 that is logged and says nothing about internals.
 */
export function installErrorHandling(app: FastifyInstance, pageFallback: (request: FastifyRequest, reply: FastifyReply) => boolean = () => false): void {
  app.setErrorHandler((error: FastifyError | CrmError, request, reply) => {
    const crm = isCrmError(error) ? error : fromFastifyError(error as FastifyError, request.server);
    if (crm.status >= 500) request.log.error({ err: error }, 'request failed');
    if (crm.code === 'rate_limited' && typeof crm.params.retry_after === 'number') reply.header('retry-after', String(crm.params.retry_after));
    return reply.status(crm.status).send(crm.toBody(request.locale ?? 'en'));
  });
  app.setNotFoundHandler((request, reply) => {
    if (pageFallback(request, reply)) return reply;
    const error = new CrmError('route_not_found', { method: request.method, path: request.url.split('?')[0] ?? '' });
    return reply.status(404).send(error.toBody(request.locale ?? 'en'));
  });
}

/**
 * Fastify's `frameworkErrors`: a URL it cannot route (a malformed percent-encoding) is refused
 * before any hook runs, so the locale comes from the header.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const crm = fromFastifyError(error, request.server);
  if (crm.status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(crm.status).send(crm.toBody(localeOf(request.headers['accept-language'])));
}

function fromFastifyError(error: FastifyError, app: FastifyInstance): CrmError {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CrmError('unsupported_media_type', { expected: JSON_BODY });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CrmError('payload_too_large', { limit: app.initialConfig.bodyLimit ?? 0 });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new CrmError('validation_failed', {}, [{ path: '', code: 'invalid', params: { reason: reason('body_not_json') } }]);
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new CrmError('bad_request');
    default:
      if (error.statusCode === 429) return new CrmError('rate_limited', { retry_after: 60 });
      if (error.validation) return new CrmError('validation_failed', {}, error.validation.map((issue) => validationIssue(issue, error.validationContext)));
      if (error.statusCode && error.statusCode < 500) {
        // Fastify's own message is English only; the log keeps it.
        app.log.info({ err: error }, 'request refused');
        return new CrmError('validation_failed', {}, [{ path: '', code: 'invalid', params: { reason: reason('request_not_valid') } }]);
      }
      return new CrmError('internal', {}, [], { cause: error });
  }
}

type SchemaError = NonNullable<FastifyError['validation']>[number];

/** One failing keyword of a route's schema as a field issue, in words of the reason catalogue. */
function validationIssue(error: SchemaError, context: string | undefined): FieldIssue {
  const params = error.params as Record<string, unknown>;
  const property = error.keyword === 'additionalProperties' ? params.additionalProperty : error.keyword === 'required' ? params.missingProperty : undefined;
  const path = [error.instancePath.replace(/^\//, ''), typeof property === 'string' ? property : ''].filter(Boolean).join('/');
  if (error.keyword === 'additionalProperties' && context === 'querystring') return { path, code: 'invalid', params: { reason: reason('not_route_parameter') } };
  if (error.keyword === 'required') return { path, code: 'required' };
  return { path, code: 'invalid', params: { reason: schemaReason(error as Parameters<typeof schemaReason>[0]) } };
}
