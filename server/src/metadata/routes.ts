import type { Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';

export const metadataRoutes: FastifyPluginAsync<{ engine: Engine }> = async () => {};
