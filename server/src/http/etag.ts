import { CrmError, reason } from '@crm/engine';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A record's ETag is its version: strong, since any change bumps it. */
export function setETag(reply: FastifyReply, record: { version?: unknown }): void {
  if (typeof record.version === 'number') reply.header('etag', `"${record.version}"`);
}

/** `If-Match: "3"` -> 3; absent or `*` -> no expectation. */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    throw new CrmError('validation_failed', {}, [{ path: 'If-Match', code: 'invalid', params: { reason: reason('must_be_etag', { example: '"3"' }) } }]);
  }
  return Number(match[1]);
}

/** Whether If-None-Match names `etag` (weak comparison, as RFC 9110 wants for it) or is `*`. */
export function ifNoneMatchHits(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
