import { systemActor, type Actor, type ConversionStrategy, type Engine } from '@crm/engine';
import { query, type QueryParameters } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { METADATA_TAG } from '../openapi/metadata-schemas';
import { API_NAME_SCHEMA, jsonBody, jsonResponse, pathParameter } from '../openapi/operations';
import { schemaRef } from '../openapi/types';

/**
 * The metadata API the studio uses. Bodies are the engine's metadata documents; every write runs
 * in one transaction with its DDL and answers with the stored document and the new metadata
 * revision. Reading is for everyone signed in (each sees the objects they may use, without their
 * hidden fields); changing is for administrators, so the changes are described to them only.
 */

const tag = METADATA_TAG.name;
const object = pathParameter('object', 'API name of the object.', API_NAME_SCHEMA);
const revisionOf = async (engine: Engine) => (await engine.metadata(systemActor)).revision;

const objectRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/meta/objects',
    access: 'signed-in',
    openapi: { operationId: 'list_objects', summary: 'List objects', tag, responses: { 200: jsonResponse('The live objects you may use.', schemaRef('ObjectList')) } },
    handler: async (request, _reply, { engine }) => ({ data: await engine.objects.list(actorOf(request)), revision: await revisionOf(engine) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/meta/objects',
    access: 'admin',
    openapi: {
      operationId: 'create_object',
      summary: 'Create an object (and its table), optionally with fields',
      tag,
      requestBody: jsonBody(schemaRef('ObjectCreateRequest')),
      responses: { 201: jsonResponse('The object, with the new revision.', schemaRef('ObjectResponse')) },
      errors: [409, 503],
    },
    handler: async (request, reply, { engine }) => reply.status(201).send(await engine.objects.create(actorOf(request), request.body as never)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/meta/objects/:object',
    access: 'signed-in',
    params: { object },
    openapi: { operationId: 'get_object', summary: 'Get an object', tag, responses: { 200: jsonResponse('The object.', schemaRef('ObjectResponse')) }, errors: [404] },
    handler: async (request, _reply, { engine }) => ({ ...(await engine.objects.get(actorOf(request), request.params.object)), revision: await revisionOf(engine) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/meta/objects/:object',
    access: 'admin',
    params: { object },
    openapi: {
      operationId: 'update_object',
      summary: 'Change an object',
      description: 'Renaming it renames its table and rewrites every reference to it.',
      tag,
      requestBody: jsonBody(schemaRef('ObjectPatch')),
      responses: { 200: jsonResponse('The object, with the new revision.', schemaRef('ObjectResponse')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.objects.update(actorOf(request), request.params.object, request.body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/meta/objects/:object',
    access: 'admin',
    params: { object },
    query: { purge: query.boolean('Delete an object that is already in the recycle bin for good, with its data.') },
    openapi: {
      operationId: 'delete_object',
      summary: 'Move an object to the recycle bin, or purge it',
      description: 'Keeps its table and data until purged. An object another object still looks up cannot be deleted (409).',
      tag,
      responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => {
      const actor = actorOf(request);
      return request.query.purge ? engine.objects.purge(actor, request.params.object) : engine.objects.delete(actor, request.params.object);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/meta/objects/:object/restore',
    access: 'admin',
    params: { object },
    openapi: {
      operationId: 'restore_object',
      summary: 'Restore an object from the recycle bin',
      description: 'Possible while its name is still free (409 name_taken otherwise).',
      tag,
      responses: { 200: jsonResponse('The object, with the new revision.', schemaRef('ObjectResponse')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.objects.restore(actorOf(request), request.params.object),
  }),
];

/** The documents that live under an object, one URL segment each, with the same five routes. */
interface ElementKind {
  readonly segment: 'fields' | 'layouts' | 'views' | 'validation-rules';
  /** operationId stems and the path parameter's name. */
  readonly plural: string;
  readonly singular: string;
  readonly document: string;
  readonly schemaStem: string;
  readonly service: (engine: Engine) => ElementRouteService;
  readonly listQuery?: QueryParameters;
  readonly patchQuery?: QueryParameters;
  readonly deleteNote: string;
}

type ElementQuery = Readonly<Record<string, unknown>>;

/** What the five routes call, whatever the kind of document. */
interface ElementRouteService {
  list(actor: Actor, object: string, query: ElementQuery): Promise<unknown>;
  create(actor: Actor, object: string, body: unknown): Promise<unknown>;
  get(actor: Actor, object: string, name: string): Promise<object>;
  update(actor: Actor, object: string, name: string, patch: unknown, query: ElementQuery): Promise<unknown>;
  delete(actor: Actor, object: string, name: string): Promise<unknown>;
}

/** Layouts, views and validation rules take no options. */
const plain =
  (pick: (engine: Engine) => Engine['layouts'] | Engine['views'] | Engine['validationRules']) =>
  (engine: Engine): ElementRouteService => {
    const service = pick(engine);
    return {
      list: (actor, objectName) => service.list(actor, objectName),
      create: (actor, objectName, body) => service.create(actor, objectName, body),
      get: (actor, objectName, name) => service.get(actor, objectName, name),
      update: (actor, objectName, name, patch) => service.update(actor, objectName, name, patch),
      delete: (actor, objectName, name) => service.delete(actor, objectName, name),
    };
  };

const elementKinds: readonly ElementKind[] = [
  {
    segment: 'fields',
    plural: 'fields',
    singular: 'field',
    document: 'FieldDefinition',
    schemaStem: 'Field',
    service: (engine): ElementRouteService => ({
        list: (actor, objectName, options) => engine.fields.list(actor, objectName, { includeSystem: options.include_system === true }),
        create: (actor, objectName, body) => engine.fields.create(actor, objectName, body),
        get: (actor, objectName, name) => engine.fields.get(actor, objectName, name),
        update: (actor, objectName, name, patch, options) =>
          engine.fields.update(actor, objectName, name, patch, options.convert === undefined ? {} : { convert: options.convert as ConversionStrategy }),
        delete: (actor, objectName, name) => engine.fields.delete(actor, objectName, name),
      }),
    listQuery: { include_system: query.boolean('Also list the system fields (id, created_at, owner_id, ...).') },
    patchQuery: {
      convert: query.string(
        'How to convert stored values a type change cannot keep as they are: empty them (null_invalid), round or truncate numbers, keep the first value of a multiselect. Without it such a change is refused (409 type_change_refused) with the number of records affected.',
        { type: 'string', enum: ['null_invalid', 'round', 'truncate', 'first_value'] },
      ),
    },
    deleteNote:
      'Drops the column. Layouts and views that only display the field, and validation rules that only point at it, lose it; anything that computes with it (formula, default, filter, sort, rollup, validation rule condition, visibility condition, title field, approval process, workflow) blocks the delete: 409 dependency_exists with one `used_by` entry per user saying what it does with the field.',
  },
  { segment: 'layouts', plural: 'layouts', singular: 'layout', document: 'LayoutDefinition', schemaStem: 'Layout', service: plain((e) => e.layouts), deleteNote: 'Deletes the layout.' },
  { segment: 'views', plural: 'views', singular: 'view', document: 'ViewDefinition', schemaStem: 'View', service: plain((e) => e.views), deleteNote: 'Deletes the view.' },
  {
    segment: 'validation-rules',
    plural: 'validation_rules',
    singular: 'validation_rule',
    document: 'ValidationRuleDefinition',
    schemaStem: 'ValidationRule',
    service: plain((e) => e.validationRules),
    deleteNote: 'Deletes the rule; writes are no longer checked against it.',
  },
];

function elementRoutes(kind: ElementKind): DeclaredRoute<RouteDeps>[] {
  const collection = `/api/meta/objects/:object/${kind.segment}` as const;
  // The item's parameter is named for its kind (`:field`, `:layout`...), as the document shows it
  // (`{field}`); the types know it as `:element`, read back through nameOf.
  const item = `${collection}/:${kind.singular}` as `${typeof collection}/:element`;
  const noun = kind.singular.replace('_', ' ');
  const nouns = kind.plural.replace('_', ' ');
  const element = pathParameter(kind.singular, `API name of the ${noun}.`, API_NAME_SCHEMA);
  const itemParams = { object, [kind.singular]: element } as unknown as { object: typeof object; element: typeof element };
  const nameOf = (parameters: Readonly<Record<string, string>>) => parameters[kind.singular]!;
  const response = schemaRef(`${kind.schemaStem}Response`);
  return [
    defineRoute({
      method: 'GET',
      url: collection,
      access: 'signed-in',
      params: { object },
      query: kind.listQuery ?? {},
      openapi: {
        operationId: `list_${kind.plural}`,
        summary: `List an object's ${nouns}`,
        tag,
        responses: { 200: jsonResponse(`The ${nouns}.`, schemaRef(`${kind.schemaStem}List`)) },
        errors: [404],
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
        summary: `Add a ${noun}`,
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
      access: 'signed-in',
      params: itemParams,
      openapi: { operationId: `get_${kind.singular}`, summary: `Get a ${noun}`, tag, responses: { 200: jsonResponse(`The ${noun}.`, response) }, errors: [404] },
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
        summary: `Change a ${noun}`,
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
        summary: `Delete a ${noun}`,
        description: kind.deleteNote,
        tag,
        responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
        errors: [404, 409, 503],
      },
      handler: async (request, _reply, { engine }) => kind.service(engine).delete(actorOf(request), request.params.object, nameOf(request.params)),
    }),
  ];
}

export const metadataRoutes: readonly DeclaredRoute<RouteDeps>[] = [...objectRoutes, ...elementKinds.flatMap(elementRoutes)];
