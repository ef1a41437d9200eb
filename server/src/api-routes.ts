import { approvalRoutes } from './approvals/routes';
import { authRoutes } from './auth/auth-routes';
import { healthRoutes } from './health/routes';
import type { AnyDeclaredRoute, DeclaredRoute } from './http/route-declaration';
import type { RouteDeps } from './http/route-deps';
import { jobRoutes } from './jobs/routes';
import { clientRoutes } from './metadata/client-routes';
import { metadataRoutes } from './metadata/routes';
import { openapiRoutes } from './openapi/routes';
import { recordRoutes } from './records/routes';
import { savedViewRoutes } from './saved-views/routes';
import { searchRoutes } from './search/routes';
import { securityRoutes } from './security/routes';
import { templateRoutes } from './templates/routes';
import { workflowRoutes } from './workflows/routes';

/**
 * Every declared route of the API, by feature. app.ts registers them; the OpenAPI document is
 * built from the same lists (openapi/build-document.ts), so the two cannot drift apart.
 */

/** The routes whose handlers need only the engine and the document (RouteDeps). */
export const engineRoutes: readonly DeclaredRoute<RouteDeps>[] = [...healthRoutes, ...metadataRoutes, ...clientRoutes, ...securityRoutes, ...templateRoutes, ...jobRoutes, ...workflowRoutes, ...recordRoutes, ...savedViewRoutes, ...searchRoutes, ...approvalRoutes, ...openapiRoutes];

/** All of them, the auth routes included (registered by the auth plugin with its cookie policy and rate limit). */
export const apiRoutes: readonly AnyDeclaredRoute[] = [...authRoutes, ...engineRoutes];
