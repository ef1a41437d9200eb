import { queryParameterObject } from '../http/query-parameters';
import { DRY_RUN_PARAMETER, isMetadataWriteRoute, withDryRunResponse } from '../metadata/dry-run';
import { isPerObject, type AnyDeclaredRoute, type RouteDocs } from '../http/route-declaration';
import type { DescribedObject } from './described-object';
import { operation, type Access } from './operations';
import type { HttpMethod, OperationObject, ParameterObject, PathItemObject, ReferenceObject } from './types';
import type { Viewer } from './viewer';

/**
 * The paths of the document, from the route declarations: each declared route is one operation
 * (or one per object the viewer may use, for routes over `:object`), described only to the
 * viewers it is for. Parameters, security and the error responses every operation has follow
 * from the declaration; the rest is its `openapi` part.
 */

/** `/api/jobs/:id` -> `/api/jobs/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParameterNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
}

function securityOf(route: AnyDeclaredRoute): Access {
  if (route.access === 'public') return 'public';
  return route.method === 'GET' ? 'read' : 'write';
}

function describedTo(route: AnyDeclaredRoute, viewer: Viewer): boolean {
  if (route.access === 'admin' && !viewer.administration) return false;
  return route.describedTo ? route.describedTo(viewer) : true;
}

interface Entry {
  readonly path: string;
  readonly method: HttpMethod;
  readonly operation: OperationObject;
  readonly parameters: readonly (ParameterObject | ReferenceObject)[];
}

function entry(route: AnyDeclaredRoute, docs: RouteDocs, url: string, queryParameters: readonly ParameterObject[]): Entry {
  const parameters = pathParameterNames(url).map((name) => {
    const documented = route.params[name];
    if (!documented) throw new Error(`${route.method} ${route.url}: path parameter ${name} is not documented`);
    return documented;
  });
  const { headers, ...rest } = docs;
  const dryRun = isMetadataWriteRoute(route.method, route.url);
  return {
    path: openApiPath(url),
    method: route.method.toLowerCase() as HttpMethod,
    parameters,
    operation: operation({
      ...rest,
      access: securityOf(route),
      ...(dryRun ? { responses: withDryRunResponse(rest.responses) } : {}),
      parameters: [...(headers ?? []), ...queryParameters, ...(dryRun ? [DRY_RUN_PARAMETER] : [])],
    }),
  };
}

function entriesOf(route: AnyDeclaredRoute, objects: readonly DescribedObject[]): Entry[] {
  const { openapi } = route;
  if (!isPerObject(openapi)) {
    return [entry(route, openapi, route.url, Object.entries(route.query).map(([name, declared]) => queryParameterObject(name, declared)))];
  }
  if (!route.url.includes('/:object')) throw new Error(`${route.method} ${route.url}: documented per object without :object in its URL`);
  return objects.flatMap((described) => {
    const docs = openapi.perObject(described);
    if (docs === false) return [];
    const query = Object.entries(route.query).flatMap(([name, declared]) => {
      const parameter = declared.describeFor ? declared.describeFor(described) : queryParameterObject(name, declared);
      return parameter ? [parameter] : [];
    });
    return [entry(route, docs, route.url.replace('/:object', `/${described.object.name}`), query)];
  });
}

export function declaredPaths(routes: readonly AnyDeclaredRoute[], objects: readonly DescribedObject[], viewer: Viewer): Record<string, PathItemObject> {
  const paths: Record<string, { parameters?: readonly (ParameterObject | ReferenceObject)[] } & Partial<Record<HttpMethod, OperationObject>>> = {};
  for (const route of routes) {
    if (!describedTo(route, viewer)) continue;
    for (const { path, method, operation: described, parameters } of entriesOf(route, objects)) {
      const item = (paths[path] ??= parameters.length ? { parameters } : {});
      if (item[method]) throw new Error(`OpenAPI operation ${method} ${path} is declared twice`);
      item[method] = described;
    }
  }
  return paths;
}
