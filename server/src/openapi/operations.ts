import { errorResponseRefs, type ErrorStatus } from './error-schemas';
import { publicAccess, readSecurity, writeSecurity } from './security';
import type {
  HeaderObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from './types';

/**
 * Builds operations so that the error responses follow from what an operation does, not from
 * memory: every authenticated one can answer 401 and 429, every write on a session 403 (CSRF),
 * every body 413 and 415, everything 400, 408, 431 (a request refused before it reaches a route:
 * malformed, too slow to arrive, headers too large) and 500. Operations add what is specific to them.
 */

export type Access = 'public' | 'read' | 'write';

export interface OperationSpec {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  readonly parameters?: readonly (ParameterObject | ReferenceObject)[];
  readonly requestBody?: RequestBodyObject;
  /** Success responses by status. */
  readonly responses: Readonly<Record<string, ResponseObject | ReferenceObject>>;
  /** Error statuses specific to this operation. */
  readonly errors?: readonly ErrorStatus[];
}

function implicitErrors(spec: OperationSpec): ErrorStatus[] {
  const statuses: ErrorStatus[] = [400, 408, 431, 500];
  if (spec.access !== 'public') statuses.push(401, 429);
  if (spec.access === 'write') statuses.push(403);
  if (spec.requestBody) statuses.push(413, 415);
  return statuses;
}

export function operation(spec: OperationSpec): OperationObject {
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: spec.access === 'public' ? publicAccess : spec.access === 'read' ? readSecurity : writeSecurity,
    ...(spec.parameters?.length ? { parameters: spec.parameters } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses: { ...spec.responses, ...errorResponseRefs([...implicitErrors(spec), ...(spec.errors ?? [])]) },
  };
}

export function jsonBody(schema: SchemaObject, description?: string): RequestBodyObject {
  return { required: true, ...(description ? { description } : {}), content: { 'application/json': { schema } } };
}

export function jsonResponse(description: string, schema: SchemaObject, headers?: Readonly<Record<string, HeaderObject | ReferenceObject>>): ResponseObject {
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } };
}

export function noContent(description: string): ResponseObject {
  return { description };
}

export function pathParameter(name: string, description: string, schema: SchemaObject = { type: 'string' }): ParameterObject {
  return { name, in: 'path', required: true, description, schema };
}

export function queryParameter(name: string, description: string, schema: SchemaObject): ParameterObject {
  return { name, in: 'query', required: false, description, schema };
}

/** A comma-separated list in one query parameter (`fields=a,b`): form style, not exploded. */
export function commaListParameter(name: string, description: string, items: SchemaObject, maxItems?: number): ParameterObject {
  return {
    name,
    in: 'query',
    required: false,
    description,
    style: 'form',
    explode: false,
    schema: { type: 'array', items, ...(maxItems ? { maxItems } : {}) },
  };
}

/** An API name (objects, fields, roles, layouts...), as the engine's api-name rule spells it. */
export const API_NAME_SCHEMA = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;

/**
 * The answer to a question about some records named in `?ids=` (approval states, editability):
 * `{data: [{id, ...states}]}`, one entry per record the caller may read, at most `maxItems`.
 */
export function recordStatesResponse(description: string, maxItems: number, states: Readonly<Record<string, SchemaObject>>): ResponseObject {
  return jsonResponse(description, {
    type: 'object',
    properties: {
      data: {
        type: 'array',
        maxItems,
        items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, ...states }, required: ['id', ...Object.keys(states)], additionalProperties: false },
      },
    },
    required: ['data'],
  });
}

/** The ids of a `?ids=a,b,c` question: trimmed, empty entries dropped (the engine checks the rest). */
export function idsOf(ids: string | undefined): string[] {
  return (ids ?? '').split(',').map((id) => id.trim()).filter(Boolean);
}
