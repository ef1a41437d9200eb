import type { Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';

export const recordRoutes: FastifyPluginAsync<{ engine: Engine }> = async () => {};
