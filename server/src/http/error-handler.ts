import { CrmError, isCrmError } from '@crm/engine';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Every error leaves in the one shape of DESIGN.md, in the caller's language: catalogue errors as
 * they are, Fastify's own (bad JSON, wrong content type, body too large) mapped to catalogue codes,
 * anything else as a 500 that is logged and says nothing about internals.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | CrmError, request, reply) => {
    const crm = isCrmError(error) ? error : fromFastifyError(error as FastifyError);
    if (crm.status >= 500) request.log.error({ err: error }, 'request failed');
    if (crm.code === 'rate_limited' && typeof crm.params.retry_after === 'number') reply.header('retry-after', String(crm.params.retry_after));
    return reply.status(crm.status).send(crm.toBody(request.locale ?? 'en'));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new CrmError('route_not_found', { method: request.method, path: request.url.split('?')[0] ?? '' });
    return reply.status(404).send(error.toBody(request.locale ?? 'en'));
  });
}

function fromFastifyError(error: FastifyError): CrmError {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CrmError('unsupported_media_type');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CrmError('payload_too_large');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new CrmError('validation_failed', {}, [{ path: '', code: 'invalid', params: { reason: 'the body is not valid JSON' } }]);
    default:
      if (error.statusCode === 429) return new CrmError('rate_limited', { retry_after: 60 });
      if (error.statusCode && error.statusCode < 500) {
        return new CrmError('validation_failed', {}, [{ path: '', code: 'invalid', params: { reason: error.message } }]);
      }
      return new CrmError('internal', {}, [], { cause: error });
  }
}
