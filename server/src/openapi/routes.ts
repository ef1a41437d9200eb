// PLACEHOLDER: replaced by the OpenAPI work (/api/openapi.json, /api/docs).
import type { Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';

export const openapiRoutes: FastifyPluginAsync<{ engine: Engine }> = async () => {};
