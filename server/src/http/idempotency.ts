import type { FastifyRequest } from 'fastify';

/** The Idempotency-Key of a POST, with a fingerprint of the request it was first used for. */
export function idempotencyOf(request: FastifyRequest): { key: string; fingerprint: string } | undefined {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return undefined;
  // The query string too: an import's mode and all_or_nothing are in it.
  return { key, fingerprint: `${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}` };
}
