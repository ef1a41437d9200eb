import type { FastifyRequest } from 'fastify';

/** The Idempotency-Key of a POST, with a fingerprint of the request it was first used for. */
export function idempotencyOf(request: FastifyRequest): { key: string; fingerprint: string } | undefined {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return undefined;
  return { key, fingerprint: `${request.method} ${request.url.split('?')[0]}\n${JSON.stringify(request.body ?? null)}` };
}
