import { systemActor, type ConversionStrategy, type Engine } from '@crm/engine';
import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { METADATA_TAG } from '../openapi/metadata-schemas';
import { jsonBody, jsonResponse } from '../openapi/operations';
import { schemaRef } from '../openapi/types';
import { objectDocumentRoutes, objectParameter as object, plainDocumentService, type ObjectDocumentKind, type ObjectDocumentService } from './document-routes';

/**
 * The metadata API the studio uses. Bodies are the engine's metadata documents; every write runs
 * in one transaction with its DDL and answers with the stored document and the new metadata
 * revision. Reading is for everyone signed in (each sees the objects they may use, without their
 * hidden fields or anything that reads one, as GET /api/meta/client shows them); changing is for
 * administrators, so the changes are described to them only.
 */

const tag = METADATA_TAG.name;
const revisionOf = async (engine: Engine) => (await engine.metadata(systemActor)).revision;

// What a reader who is not an administrator gets: the same as GET /api/meta/client shows them (engine security/visible-metadata.ts).
const NON_ADMIN = 'To a user who is not an administrator (or a scoped API token):';
const AS_STORED = 'Administrators read them as stored.';
const OBJECT_READ = `${NON_ADMIN} an object whose title field is hidden from them comes without \`title_field\`. ${AS_STORED}`;

const objectRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/meta/objects',
    access: 'signed-in',
    openapi: { operationId: 'list_objects', summary: 'List objects', description: OBJECT_READ, tag, responses: { 200: jsonResponse('The live objects you may use.', schemaRef('ObjectList')) } },
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
    openapi: { operationId: 'get_object', summary: 'Get an object', description: OBJECT_READ, tag, responses: { 200: jsonResponse('The object.', schemaRef('ObjectResponse')) }, errors: [404] },
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

const fieldService = (engine: Engine): ObjectDocumentService => ({
  list: (actor, objectName, options) => engine.fields.list(actor, objectName, { includeSystem: options.include_system === true }),
  create: (actor, objectName, body) => engine.fields.create(actor, objectName, body),
  get: (actor, objectName, name) => engine.fields.get(actor, objectName, name),
  update: (actor, objectName, name, patch, options) =>
    engine.fields.update(actor, objectName, name, patch, options.convert === undefined ? {} : { convert: options.convert as ConversionStrategy }),
  delete: (actor, objectName, name) => engine.fields.delete(actor, objectName, name),
});

/** The documents that live under an object and belong to the metadata API proper. */
const elementKinds: readonly ObjectDocumentKind[] = [
  {
    segment: 'fields',
    plural: 'fields',
    singular: 'field',
    parameter: 'field',
    document: 'FieldDefinition',
    schemaStem: 'Field',
    service: fieldService,
    listQuery: { include_system: query.boolean('Also list the system fields (id, created_at, owner_id, ...).') },
    patchQuery: {
      convert: query.string(
        'How to convert stored values a type change cannot keep as they are: empty them (null_invalid), round or truncate numbers, keep the first value of a multiselect. Without it such a change is refused (409 type_change_refused) with the number of records affected.',
        { type: 'string', enum: ['null_invalid', 'round', 'truncate', 'first_value'] },
      ),
    },
    notes: {
      read: `${NON_ADMIN} without the fields their roles hide, nor the formulas and rollups computed from one. Of the other fields, what reads or names a hidden field is left out and listed in \`withheld\`: a default reading one (\`default\`), a hidden controlling field with the options' \`valid_for\` lists (\`controlling_field\`), a rollup's relationship field or filter on a field hidden on the child (\`relationship_field\`, \`filter\`); the server still applies them. ${AS_STORED}`,
      delete:
        'Drops the column. Layouts and views that only display the field, and validation rules that only point at it, lose it; anything that computes with it (formula, default, filter, sort, rollup, validation rule condition, visibility condition, title field, approval process, workflow) blocks the delete: 409 dependency_exists with one `used_by` entry per user saying what it does with the field.',
    },
  },
  {
    segment: 'layouts',
    plural: 'layouts',
    singular: 'layout',
    parameter: 'layout',
    document: 'LayoutDefinition',
    schemaStem: 'Layout',
    service: (engine) => plainDocumentService(engine.layouts),
    notes: {
      read: `${NON_ADMIN} without placements of hidden fields and sections left with none; a section whose \`visible_when\` reads a hidden field comes without it and with \`visible_when_withheld: true\` (it always shows); a field whose \`visible_when\` or \`read_only_when\` reads a hidden field comes without it and with \`visible_when_withheld\` (always shown) or \`read_only_when_withheld\` (read-only in forms); related lists come only for objects they may read and not through a hidden lookup, without hidden columns and sort keys. ${AS_STORED}`,
      delete: 'Deletes the layout.',
    },
  },
  {
    segment: 'views',
    plural: 'views',
    singular: 'view',
    parameter: 'view',
    document: 'ViewDefinition',
    schemaStem: 'View',
    service: (engine) => plainDocumentService(engine.views),
    notes: {
      read: `${NON_ADMIN} views whose filter reads a hidden field (the records API would refuse that filter from them), kanbans grouped by a hidden field and views left with no column or card field are absent (404 for one of them); the others come without hidden columns, card fields and sort keys. ${AS_STORED}`,
      delete: 'Deletes the view.',
    },
  },
  {
    segment: 'validation-rules',
    plural: 'validation_rules',
    singular: 'validation_rule',
    parameter: 'validation_rule',
    document: 'ValidationRuleDefinition',
    schemaStem: 'ValidationRule',
    service: (engine) => plainDocumentService(engine.validationRules),
    notes: {
      read: `${NON_ADMIN} rules whose condition reads a hidden field are absent (404 for one of them; the server still checks every write against them), and the others come without the hidden fields they point at. ${AS_STORED}`,
      delete: 'Deletes the rule; writes are no longer checked against it.',
    },
  },
];

export const metadataRoutes: readonly DeclaredRoute<RouteDeps>[] = [...objectRoutes, ...elementKinds.flatMap(objectDocumentRoutes)];
