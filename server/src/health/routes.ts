import { CrmError, systemActor } from '@crm/engine';
import { sql } from 'kysely';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { jsonResponse } from '../openapi/operations';
import { schemaRef } from '../openapi/types';

/** Liveness and readiness, for load balancers and process managers (public). */

export const HEALTH_TAG = { name: 'health', description: 'Liveness and readiness' } as const;
const tag = HEALTH_TAG.name;

export const healthRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/healthz',
    access: 'public',
    openapi: {
      operationId: 'get_health',
      summary: 'The process is up',
      tag,
      responses: { 200: jsonResponse('Up.', { type: 'object', properties: { status: { type: 'string', const: 'ok' } }, required: ['status'] }) },
    },
    handler: async () => ({ status: 'ok' }),
  }),
  defineRoute({
    method: 'GET',
    url: '/readyz',
    access: 'public',
    openapi: {
      operationId: 'get_readiness',
      summary: 'The database is reachable and the metadata loaded',
      tag,
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
    },
    handler: async (_request, _reply, { engine }) => {
      try {
        await sql`select 1`.execute(engine.database.db);
        const metadata = await engine.metadata(systemActor);
        return { status: 'ready', database: engine.database.kind, revision: metadata.revision };
      } catch (error) {
        throw new CrmError('database_unavailable', {}, [], { cause: error });
      }
    },
  }),
];
