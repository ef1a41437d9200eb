import { CrmError, jsonInputIssue, REQUEST_LIMITS } from '@crm/engine';
import type { FastifyRequest } from 'fastify';

/**
 * PostgreSQL stores no U+0000 in text or jsonb, so a request carrying one is refused before any
 * route runs, naming the query parameter or header (bodies: see body-parsers.ts). Node's parser
 * already refuses a raw NUL in a header; a query parameter can still carry one as `%00`.
 */
export function refuseNulInQueryAndHeaders(request: FastifyRequest): void {
  // A parsed query can only hold U+0000 written as %00 in the URL, and Node's parser refuses a raw
  // one in the request line and headers: the walks below are for the requests that might.
  const issue = (request.url.includes('%00') || request.url.includes('\u0000') ? jsonInputIssue(request.query, REQUEST_LIMITS) : undefined) ?? (rawHeadersHoldNul(request) ? jsonInputIssue(request.headers, REQUEST_LIMITS) : undefined);
  if (issue) throw new CrmError('validation_failed', {}, [issue]);
}

function rawHeadersHoldNul(request: FastifyRequest): boolean {
  return request.raw.rawHeaders.some((text) => text.includes('\u0000'));
}
