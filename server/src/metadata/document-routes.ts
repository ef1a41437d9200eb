import { systemActor, type Actor, type Engine } from '@crm/engine';
import type { QueryParameters } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute, type RouteAccess } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import type { ErrorStatus } from '../openapi/error-schemas';
import { METADATA_TAG } from '../openapi/metadata-schemas';
import { API_NAME_SCHEMA, jsonBody, jsonResponse, pathParameter } from '../openapi/operations';
import { schemaRef } from '../openapi/types';

/**
 * The five routes of a metadata document that lives under an object (fields, layouts, views,
 * validation rules, workflows, approval processes): list, create, get, change, delete, under
 * /api/meta/objects/:object/<segment>. Reads answer with the metadata revision; every change
 * answers with the new one. Changing is for administrators, so it is described to them only.
 */

export type DocumentQuery = Readonly<Record<string, unknown>>;

/** What the five routes call, whatever the kind of document. */
export interface ObjectDocumentService {
  list(actor: Actor, object: string, query: DocumentQuery): Promise<unknown>;
  create(actor: Actor, object: string, body: unknown): Promise<unknown>;
  get(actor: Actor, object: string, name: string): Promise<object>;
  update(actor: Actor, object: string, name: string, patch: unknown, query: DocumentQuery): Promise<unknown>;
  delete(actor: Actor, object: string, name: string): Promise<unknown>;
}

export interface ObjectDocumentKind {
  /** URL segment. */
  readonly segment: string;
  /** operationId stems (`list_<plural>`, `create_<singular>`), and the words of the summaries. */
  readonly plural: string;
  readonly singular: string;
  /** The item's path parameter (`field` -> `:field`, `{field}`). */
  readonly parameter: string;
  /** Schema names: `<stem>Definition`-like document, `<stem>Response`, `<stem>List`, `<stem>Patch`. */
  readonly document: string;
  readonly schemaStem: string;
  readonly service: (engine: Engine) => ObjectDocumentService;
  /** Who may read them (default everyone signed in; workflows and approval processes: administrators). */
  readonly readAccess?: RouteAccess;
  readonly readErrors?: readonly ErrorStatus[];
  readonly listQuery?: QueryParameters;
  readonly patchQuery?: QueryParameters;
  /** `read`: what a reader who is not an administrator gets of the list and of one document. */
  readonly notes?: { readonly read?: string; readonly list?: string; readonly create?: string; readonly update?: string; readonly delete: string };
}

/** Every method of a document service, bound (layouts, views, validation rules, workflows, approval processes take no options). */
export function plainDocumentService(service: {
  list(actor: Actor, object: string): Promise<unknown>;
  create(actor: Actor, object: string, body: unknown): Promise<unknown>;
  get(actor: Actor, object: string, name: string): Promise<object>;
  update(actor: Actor, object: string, name: string, patch: unknown): Promise<unknown>;
  delete(actor: Actor, object: string, name: string): Promise<unknown>;
}): ObjectDocumentService {
  return {
    list: (actor, object) => service.list(actor, object),
    create: (actor, object, body) => service.create(actor, object, body),
    get: (actor, object, name) => service.get(actor, object, name),
    update: (actor, object, name, patch) => service.update(actor, object, name, patch),
    delete: (actor, object, name) => service.delete(actor, object, name),
  };
}

const tag = METADATA_TAG.name;
export const objectParameter = pathParameter('object', 'API name of the object.', API_NAME_SCHEMA);
const revisionOf = async (engine: Engine) => (await engine.metadata(systemActor)).revision;
const article = (noun: string) => (/^[aeiou]/.test(noun) ? 'an' : 'a');

export function objectDocumentRoutes(kind: ObjectDocumentKind): DeclaredRoute<RouteDeps>[] {
  const object = objectParameter;
  const collection = `/api/meta/objects/:object/${kind.segment}` as const;
  // The item's parameter is named for its kind (`:field`, `:layout`...), as the document shows it
  // (`{field}`); the types know it as `:element`, read back through nameOf.
  const item = `${collection}/:${kind.parameter}` as `${typeof collection}/:element`;
  const noun = kind.singular.replace('_', ' ');
  const nouns = kind.plural.replace('_', ' ');
  const a = article(noun);
  const element = pathParameter(kind.parameter, `API name of the ${noun}.`, API_NAME_SCHEMA);
  const itemParams = { object, [kind.parameter]: element } as unknown as { object: typeof object; element: typeof element };
  const nameOf = (parameters: Readonly<Record<string, string>>) => parameters[kind.parameter]!;
  const response = schemaRef(`${kind.schemaStem}Response`);
  const readAccess = kind.readAccess ?? 'signed-in';
  const readErrors = kind.readErrors ?? [404];
  const note = (text: string | undefined) => (text ? { description: text } : {});
  return [
    defineRoute({
      method: 'GET',
      url: collection,
      access: readAccess,
      params: { object },
      query: kind.listQuery ?? {},
      openapi: {
        operationId: `list_${kind.plural}`,
        summary: `List an object's ${nouns}`,
        ...note(kind.notes?.read),
        tag,
        responses: { 200: jsonResponse(kind.notes?.list ?? `The ${nouns}.`, schemaRef(`${kind.schemaStem}List`)) },
        errors: readErrors,
      },
      handler: async (request, _reply, { engine }) => ({
        data: await kind.service(engine).list(actorOf(request), request.params.object, request.query),
        revision: await revisionOf(engine),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: collection,
      access: 'admin',
      params: { object },
      openapi: {
        operationId: `create_${kind.singular}`,
        summary: `Add ${a} ${noun}`,
        ...note(kind.notes?.create),
        tag,
        requestBody: jsonBody(schemaRef(kind.document)),
        responses: { 201: jsonResponse(`The ${noun}, with the new revision.`, response) },
        errors: [404, 409, 503],
      },
      handler: async (request, reply, { engine }) => reply.status(201).send(await kind.service(engine).create(actorOf(request), request.params.object, request.body)),
    }),
    defineRoute({
      method: 'GET',
      url: item,
      access: readAccess,
      params: itemParams,
      openapi: { operationId: `get_${kind.singular}`, summary: `Get ${a} ${noun}`, ...note(kind.notes?.read), tag, responses: { 200: jsonResponse(`The ${noun}.`, response) }, errors: readErrors },
      handler: async (request, _reply, { engine }) => ({
        ...(await kind.service(engine).get(actorOf(request), request.params.object, nameOf(request.params))),
        revision: await revisionOf(engine),
      }),
    }),
    defineRoute({
      method: 'PATCH',
      url: item,
      access: 'admin',
      params: itemParams,
      query: kind.patchQuery ?? {},
      openapi: {
        operationId: `update_${kind.singular}`,
        summary: `Change ${a} ${noun}`,
        ...note(kind.notes?.update),
        tag,
        requestBody: jsonBody(schemaRef(`${kind.schemaStem}Patch`)),
        responses: { 200: jsonResponse(`The ${noun}, with the new revision.`, response) },
        errors: [404, 409, 503],
      },
      handler: async (request, _reply, { engine }) =>
        kind.service(engine).update(actorOf(request), request.params.object, nameOf(request.params), request.body, request.query),
    }),
    defineRoute({
      method: 'DELETE',
      url: item,
      access: 'admin',
      params: itemParams,
      openapi: {
        operationId: `delete_${kind.singular}`,
        summary: `Delete ${a} ${noun}`,
        ...note(kind.notes?.delete),
        tag,
        responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
        errors: [404, 409, 503],
      },
      handler: async (request, _reply, { engine }) => kind.service(engine).delete(actorOf(request), request.params.object, nameOf(request.params)),
    }),
  ];
}
