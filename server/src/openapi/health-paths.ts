import { jsonResponse, operation } from './operations';
import { schemaRef, type DocumentPart } from './types';

/** Liveness and readiness, for load balancers and process managers (public). */

const TAG = 'health';

export function healthPaths(): DocumentPart {
  return {
    tags: [{ name: TAG, description: 'Liveness and readiness' }],
    paths: {
      '/healthz': {
        get: operation({
          operationId: 'get_health',
          summary: 'The process is up',
          tag: TAG,
          access: 'public',
          responses: {
            200: jsonResponse('Up.', { type: 'object', properties: { status: { type: 'string', const: 'ok' } }, required: ['status'] }),
          },
        }),
      },
      '/readyz': {
        get: operation({
          operationId: 'get_readiness',
          summary: 'The database is reachable and the metadata loaded',
          tag: TAG,
          access: 'public',
          responses: {
            200: jsonResponse('Ready.', {
              type: 'object',
              properties: {
                status: { type: 'string', const: 'ready' },
                database: { type: 'string', enum: ['pglite', 'postgres'] },
                revision: { type: 'integer', minimum: 0, description: 'The metadata revision this process serves.' },
              },
              required: ['status', 'database', 'revision'],
            }),
            503: { description: 'Not ready (the database is unreachable).', content: { 'application/json': { schema: schemaRef('Error') } } },
          },
        }),
      },
    },
  };
}
