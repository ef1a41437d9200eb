import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DescribedObject } from '../openapi/described-object';
import type { ErrorStatus } from '../openapi/error-schemas';
import type { ParameterObject, ReferenceObject, RequestBodyObject, ResponseObject, SchemaObject } from '../openapi/types';
import type { Viewer } from '../openapi/viewer';
import { compileQuerystringValidator, querystringSchema, type QueryParameters, type QueryValues } from './query-parameters';

/**
 * A route declared once: method, URL, who may call it, its query parameters, its OpenAPI
 * operation and its handler. registerRoutes hands it to Fastify (which validates the query string
 * from the declared parameters); openapi/declared-paths.ts describes it in the document. So a
 * route cannot exist without being described, nor be described with parameters it does not take.
 */

export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Who may call the route, as far as the server knows before the engine decides:
 * - `public`: anyone; the auth hook does not run (sign-in, health, the OpenAPI document).
 * - `signed-in`: an API token or a session (with its CSRF token for writes); the engine then
 *   decides per object and record.
 * - `admin`: signed in, and described to administrators only. The engine refuses everyone else
 *   (403); the server does not decide it a second time.
 */
export type RouteAccess = 'public' | 'signed-in' | 'admin';

/** What the OpenAPI operation says beyond what the declaration already tells (method, URL, parameters, security). */
export interface RouteDocs {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** Header parameters (Idempotency-Key, If-Match), listed before the query parameters. */
  readonly headers?: readonly (ParameterObject | ReferenceObject)[];
  readonly requestBody?: RequestBodyObject;
  /** Success responses by status. */
  readonly responses: Readonly<Record<string, ResponseObject | ReferenceObject>>;
  /** Error statuses specific to this operation (the ones every operation has are added). */
  readonly errors?: readonly ErrorStatus[];
}

/**
 * A route over every object (`:object` in its URL) is documented once per object the viewer may
 * use, as concrete paths with that object's schemas; `false` leaves it out for that object.
 */
export interface PerObjectDocs {
  readonly perObject: (described: DescribedObject) => RouteDocs | false;
}

/** `'/api/jobs/:id/retry'` -> `'id'`. */
export type PathParameterNames<U extends string> = U extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParameterNames<`/${Rest}`>
  : U extends `${string}:${infer Name}`
    ? Name
    : never;

export type RouteRequest<U extends string, Q extends QueryParameters> = FastifyRequest<{
  Params: Readonly<Record<PathParameterNames<U>, string>>;
  Querystring: QueryValues<Q>;
}>;

export interface RouteDeclaration<Deps, U extends string, Q extends QueryParameters> {
  readonly method: RouteMethod;
  /** Fastify's syntax, the whole path (`/api/jobs/:id`). */
  readonly url: U;
  readonly access: RouteAccess;
  /** How each path parameter is documented (`:object` of a per-object route is not: it becomes part of the path). */
  readonly params?: Readonly<Partial<Record<PathParameterNames<U>, ParameterObject | ReferenceObject>>>;
  /** The query parameters, in the order problems with them are reported; anything else is refused (400). */
  readonly query?: Q;
  /** A further condition for describing it to a viewer (e.g. creating tokens: not to scoped tokens). */
  readonly describedTo?: (viewer: Viewer) => boolean;
  readonly openapi: RouteDocs | PerObjectDocs;
  /** Set-up for this route alone, in its own encapsulated scope (e.g. the body types only it parses). */
  readonly configure?: (scope: FastifyInstance) => void;
  /** The route's work; `deps` are what its feature was registered with (the engine, cookie policy, ...). */
  readonly handler: (request: RouteRequest<U, Q>, reply: FastifyReply, deps: Deps) => Promise<unknown>;
}

/** A declaration with its types erased, so one feature's routes fit in one list. */
export interface DeclaredRoute<Deps> {
  readonly method: RouteMethod;
  readonly url: string;
  readonly access: RouteAccess;
  readonly params: Readonly<Record<string, ParameterObject | ReferenceObject>>;
  readonly query: QueryParameters;
  readonly describedTo?: (viewer: Viewer) => boolean;
  readonly openapi: RouteDocs | PerObjectDocs;
  readonly configure?: (scope: FastifyInstance) => void;
  readonly handler: (request: FastifyRequest, reply: FastifyReply, deps: Deps) => Promise<unknown>;
}

/** Any feature's declarations, for what reads them without calling them (the OpenAPI document, tests). */
export type AnyDeclaredRoute = DeclaredRoute<never>;

// Declarations with no query parameter share one (empty) set.
const NO_QUERY: QueryParameters = Object.freeze({});

export function defineRoute<Deps, const U extends string, const Q extends QueryParameters = Record<never, never>>(
  declaration: RouteDeclaration<Deps, U, Q>,
): DeclaredRoute<Deps> {
  return Object.freeze({
    ...declaration,
    params: (declaration.params ?? {}) as Readonly<Record<string, ParameterObject | ReferenceObject>>,
    query: declaration.query ?? NO_QUERY,
    handler: declaration.handler as unknown as DeclaredRoute<Deps>['handler'],
  });
}

export function isPerObject(openapi: RouteDocs | PerObjectDocs): openapi is PerObjectDocs {
  return 'perObject' in openapi;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set for declared routes: the auth hook reads it. */
    access?: RouteAccess;
  }
}

/**
 * Registers declared routes on `app` with `deps` for their handlers. Every declared route gets a
 * querystring schema, so an unknown parameter is refused on every route, with or without
 * parameters of its own.
 */
export async function registerRoutes<Deps>(app: FastifyInstance, routes: readonly DeclaredRoute<Deps>[], deps: Deps): Promise<void> {
  for (const route of routes) {
    const options = {
      method: route.method,
      url: route.url,
      schema: { querystring: querystringSchema(route.query) },
      validatorCompiler: ({ schema }: { schema: object }) => compileQuerystringValidator(schema as SchemaObject),
      config: { access: route.access },
      handler: (request: FastifyRequest, reply: FastifyReply) => route.handler(request, reply, deps),
    };
    if (route.configure) {
      const configure = route.configure;
      await app.register(async (scope) => {
        configure(scope);
        scope.route(options);
      });
    } else {
      app.route(options);
    }
  }
}
