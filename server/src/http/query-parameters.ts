import { CrmError, reason, type FieldIssue } from '@crm/engine';
import type { DescribedObject } from '../openapi/described-object';
import type { ParameterObject, SchemaObject } from '../openapi/types';

/**
 * Query parameters as routes declare them. One declaration gives three things: the JSON Schema
 * Fastify validates the query string with (`schema.querystring`), the typed value the handler
 * reads from `request.query`, and the parameter the OpenAPI document lists.
 *
 * Fastify checks how a value is spelled (a whole number, true or false, a comma list, JSON) and
 * refuses parameters a route does not have, with the same 400 `validation_failed` issues the API
 * has always given. What a value means (a limit's range, an enum of states, a field name) is the
 * engine's to judge, with its own messages; the documented schema says it for clients.
 */

export type QueryKind = 'string' | 'integer' | 'boolean' | 'list' | 'json';

export interface QueryParameter<K extends QueryKind = QueryKind> {
  readonly kind: K;
  readonly description: string;
  /** The schema the OpenAPI document shows (ranges, enums, defaults). */
  readonly schema: SchemaObject;
  /** For routes documented once per object: the parameter as that object's operation shows it (undefined: not listed for it). */
  readonly describeFor?: (described: DescribedObject) => ParameterObject | undefined;
}

export type QueryParameters = Readonly<Record<string, QueryParameter>>;

type ValueOf<K extends QueryKind> = K extends 'integer' ? number : K extends 'boolean' ? boolean : K extends 'list' ? string[] : K extends 'json' ? unknown : string;

/** What a handler finds in `request.query`: the declared parameters that were given, parsed. */
export type QueryValues<Q extends QueryParameters> = { readonly [N in keyof Q]?: Q[N] extends QueryParameter<infer K> ? ValueOf<K> : never };

type Refinement = Pick<QueryParameter, 'describeFor'>;

function parameter<K extends QueryKind>(kind: K, description: string, schema: SchemaObject, refinement: Refinement = {}): QueryParameter<K> {
  return Object.freeze({ kind, description, schema, ...refinement });
}

/** Constructors for declared query parameters, one per way of spelling a value in a URL. */
export const query = {
  string: (description: string, schema: SchemaObject = { type: 'string' }, refinement?: Refinement) => parameter('string', description, schema, refinement),
  integer: (description: string, schema: SchemaObject = { type: 'integer' }, refinement?: Refinement) => parameter('integer', description, schema, refinement),
  boolean: (description: string, schema: SchemaObject = { type: 'boolean', default: false }, refinement?: Refinement) => parameter('boolean', description, schema, refinement),
  /** `a,b` in one parameter (form style, not exploded). */
  list: (description: string, schema: SchemaObject = { type: 'array', items: { type: 'string' } }, refinement?: Refinement) => parameter('list', description, schema, refinement),
  /** URL-encoded JSON (a filter). */
  json: (description: string, schema: SchemaObject = { type: 'string' }, refinement?: Refinement) => parameter('json', description, schema, refinement),
};

/** The parameter as the OpenAPI document lists it. */
export function queryParameterObject(name: string, declared: QueryParameter): ParameterObject {
  return {
    name,
    in: 'query',
    required: false,
    description: declared.description,
    ...(declared.kind === 'list' ? { style: 'form' as const, explode: false } : {}),
    schema: declared.schema,
  };
}

// The keyword that tells this module's validator how a property is spelled; the rest of each
// property schema is documentation.
const KIND = 'x-crm-query';

/** The JSON Schema given to Fastify as the route's `schema.querystring`. */
export function querystringSchema(parameters: QueryParameters): SchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(parameters).map(([name, declared]) => [name, { ...declared.schema, [KIND]: declared.kind }])),
  };
}

type Parse = (raw: string, name: string, issues: FieldIssue[]) => unknown;

const parsers: Readonly<Record<QueryKind, Parse>> = {
  string: (raw) => raw,
  /** An empty term (`a,,b`, `a,`, or nothing at all) is a mistake in the URL, refused rather than skipped. */
  list(raw, name, issues) {
    const terms = raw.split(',').map((s) => s.trim());
    if (!terms.some((term) => term === '')) return terms;
    issues.push({ path: name, code: 'invalid', params: { reason: reason('list_empty_term') } });
    return undefined;
  },
  integer(raw, name, issues) {
    if (/^-?\d{1,9}$/.test(raw)) return Number(raw);
    issues.push({ path: name, code: 'type', params: { expected: 'a whole number' } });
    return undefined;
  },
  boolean(raw, name, issues) {
    if (raw === 'true' || raw === '1' || raw === '') return true;
    if (raw === 'false' || raw === '0') return false;
    issues.push({ path: name, code: 'type', params: { expected: 'true or false' } });
    return undefined;
  },
  json(raw, name, issues) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      issues.push({ path: name, code: 'invalid', params: { reason: reason('not_valid_json') } });
      return undefined;
    }
  },
};

type QueryValidator = (query: unknown) => { value: Record<string, unknown> } | { error: CrmError };

/**
 * Fastify's validator for a `querystring` schema made by querystringSchema: parses each declared
 * parameter by its kind and refuses the undeclared ones, reporting every problem at once in the
 * declared order, then the unknown names. Fastify puts the parsed values in `request.query`.
 */
export function compileQuerystringValidator(schema: SchemaObject): QueryValidator {
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  const declared = Object.entries(properties).map(([name, property]) => [name, parsers[property[KIND] as QueryKind]] as const);
  if (declared.some(([, parse]) => parse === undefined)) throw new Error(`a querystring schema without ${KIND} on every property: ${JSON.stringify(schema)}`);
  const known = new Set(Object.keys(properties));
  const empty = Object.freeze({ value: Object.freeze({}) as Record<string, unknown> });
  return (input) => {
    const given = (input ?? {}) as Record<string, unknown>;
    let any = false;
    for (const _ in given) {
      any = true;
      break;
    }
    if (!any) return empty;
    const issues: FieldIssue[] = [];
    const value: Record<string, unknown> = {};
    for (const [name, parse] of declared) {
      const raw = given[name];
      if (raw === undefined) continue;
      if (Array.isArray(raw)) {
        issues.push({ path: name, code: 'invalid', params: { reason: reason('appears_more_than_once') } });
        continue;
      }
      const parsed = parse!(String(raw), name, issues);
      if (parsed !== undefined) value[name] = parsed;
    }
    for (const name of Object.keys(given)) {
      if (!known.has(name)) issues.push({ path: name, code: 'invalid', params: { reason: reason('not_route_parameter') } });
    }
    return issues.length ? { error: new CrmError('validation_failed', {}, issues) } : { value };
  };
}
