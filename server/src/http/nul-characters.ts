import { CrmError, jsonInputIssue, REQUEST_LIMITS } from '@crm/engine';
import type { FastifyRequest } from 'fastify';

/**
 * PostgreSQL stores no U+0000 in text or jsonb, so a request carrying one is refused before any
 * route runs, naming the query parameter or header (bodies: see body-parsers.ts). Node's parser
 * already refuses a raw NUL in a header; a query parameter can still carry one as `%00`.
 */
export function refuseNulInQueryAndHeaders(request: FastifyRequest): void {
  const issue = jsonInputIssue(request.query, REQUEST_LIMITS) ?? jsonInputIssue(request.headers, REQUEST_LIMITS);
  if (issue) throw new CrmError('validation_failed', {}, [issue]);
}
