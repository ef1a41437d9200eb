import { metadataDocumentSchemas } from './document-schemas';
import { definedPaths, jsonBody, jsonResponse, operation, pathItem, pathParameter, queryParameter } from './operations';
import { schemaRef, type DocumentPart, type ParameterObject, type PathItemObject } from './types';
import type { Viewer } from './viewer';

/**
 * The metadata API: objects and, under each object, its fields, layouts and views. Every change
 * runs in one transaction with its DDL and answers with the new metadata revision. Reading is
 * for everyone signed in (each sees the objects they may use, without their hidden fields);
 * changing is for administrators, so the changes are described to them only.
 */

const TAG = 'metadata';
const API_NAME = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const objectParameter = pathParameter('object', 'API name of the object.', API_NAME);

interface ElementKind {
  /** URL segment and operationId stem. */
  readonly plural: 'fields' | 'layouts' | 'views' | 'validation_rules';
  readonly singular: 'field' | 'layout' | 'view' | 'validation_rule';
  /** URL segment when it differs from `plural`. */
  readonly segment?: string;
  readonly document: 'FieldDefinition' | 'LayoutDefinition' | 'ViewDefinition' | 'ValidationRuleDefinition';
  readonly schemaStem: 'Field' | 'Layout' | 'View' | 'ValidationRule';
  readonly listParameters?: readonly ParameterObject[];
  readonly patchParameters?: readonly ParameterObject[];
  readonly deleteNote: string;
}

const elementKinds: readonly ElementKind[] = [
  {
    plural: 'fields',
    singular: 'field',
    document: 'FieldDefinition',
    schemaStem: 'Field',
    listParameters: [queryParameter('include_system', 'Also list the system fields (id, created_at, owner_id, ...).', { type: 'boolean', default: false })],
    patchParameters: [
      queryParameter(
        'convert',
        'How to convert stored values a type change cannot keep as they are: empty them (null_invalid), round or truncate numbers, keep the first value of a multiselect. Without it such a change is refused (409 type_change_refused) with the number of records affected.',
        { type: 'string', enum: ['null_invalid', 'round', 'truncate', 'first_value'] },
      ),
    ],
    deleteNote:
      'Drops the column. Layouts and views that only display the field, and validation rules that only point at it, lose it; anything that computes with it (formula, default, filter, sort, rollup, validation rule condition, visibility condition, title field, approval process, workflow) blocks the delete: 409 dependency_exists with one `used_by` entry per user saying what it does with the field.',
  },
  { plural: 'layouts', singular: 'layout', document: 'LayoutDefinition', schemaStem: 'Layout', deleteNote: 'Deletes the layout.' },
  { plural: 'views', singular: 'view', document: 'ViewDefinition', schemaStem: 'View', deleteNote: 'Deletes the view.' },
  {
    plural: 'validation_rules',
    singular: 'validation_rule',
    segment: 'validation-rules',
    document: 'ValidationRuleDefinition',
    schemaStem: 'ValidationRule',
    deleteNote: 'Deletes the rule; writes are no longer checked against it.',
  },
];

function objectPaths(admin: boolean): Record<string, PathItemObject | undefined> {
  return {
    '/api/meta/objects': pathItem(
      {
        get: operation({
          operationId: 'list_objects',
          summary: 'List objects',
          tag: TAG,
          access: 'read',
          responses: { 200: jsonResponse('The live objects you may use.', schemaRef('ObjectList')) },
        }),
        post: admin && operation({
          operationId: 'create_object',
          summary: 'Create an object (and its table), optionally with fields',
          tag: TAG,
          access: 'write',
          requestBody: jsonBody(schemaRef('ObjectCreateRequest')),
          responses: { 201: jsonResponse('The object, with the new revision.', schemaRef('ObjectResponse')) },
          errors: [409, 503],
        }),
      },
    ),
    '/api/meta/objects/{object}': pathItem(
      {
        get: operation({
          operationId: 'get_object',
          summary: 'Get an object',
          tag: TAG,
          access: 'read',
          responses: { 200: jsonResponse('The object.', schemaRef('ObjectResponse')) },
          errors: [404],
        }),
        patch: admin && operation({
          operationId: 'update_object',
          summary: 'Change an object',
          description: 'Renaming it renames its table and rewrites every reference to it.',
          tag: TAG,
          access: 'write',
          requestBody: jsonBody(schemaRef('ObjectPatch')),
          responses: { 200: jsonResponse('The object, with the new revision.', schemaRef('ObjectResponse')) },
          errors: [404, 409, 503],
        }),
        delete: admin && operation({
          operationId: 'delete_object',
          summary: 'Move an object to the recycle bin, or purge it',
          description: 'Keeps its table and data until purged. An object another object still looks up cannot be deleted (409).',
          tag: TAG,
          access: 'write',
          parameters: [queryParameter('purge', 'Delete an object that is already in the recycle bin for good, with its data.', { type: 'boolean', default: false })],
          responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
          errors: [404, 409, 503],
        }),
      },
      [objectParameter],
    ),
    '/api/meta/objects/{object}/restore': pathItem(
      {
        post: admin && operation({
          operationId: 'restore_object',
          summary: 'Restore an object from the recycle bin',
          description: 'Possible while its name is still free (409 name_taken otherwise).',
          tag: TAG,
          access: 'write',
          responses: { 200: jsonResponse('The object, with the new revision.', schemaRef('ObjectResponse')) },
          errors: [404, 409, 503],
        }),
      },
      [objectParameter],
    ),
  };
}

function elementPaths(kind: ElementKind, admin: boolean): Record<string, PathItemObject | undefined> {
  const collection = `/api/meta/objects/{object}/${kind.segment ?? kind.plural}`;
  const item = `${collection}/{${kind.singular}}`;
  const noun = kind.singular.replace('_', ' ');
  const nouns = kind.plural.replace('_', ' ');
  const itemParameter = pathParameter(kind.singular, `API name of the ${noun}.`, API_NAME);
  const response = schemaRef(`${kind.schemaStem}Response`);
  return {
    [collection]: pathItem(
      {
        get: operation({
          operationId: `list_${kind.plural}`,
          summary: `List an object's ${nouns}`,
          tag: TAG,
          access: 'read',
          ...(kind.listParameters ? { parameters: kind.listParameters } : {}),
          responses: { 200: jsonResponse(`The ${nouns}.`, schemaRef(`${kind.schemaStem}List`)) },
          errors: [404],
        }),
        post: admin && operation({
          operationId: `create_${kind.singular}`,
          summary: `Add a ${noun}`,
          tag: TAG,
          access: 'write',
          requestBody: jsonBody(schemaRef(kind.document)),
          responses: { 201: jsonResponse(`The ${noun}, with the new revision.`, response) },
          errors: [404, 409, 503],
        }),
      },
      [objectParameter],
    ),
    [item]: pathItem(
      {
        get: operation({
          operationId: `get_${kind.singular}`,
          summary: `Get a ${noun}`,
          tag: TAG,
          access: 'read',
          responses: { 200: jsonResponse(`The ${noun}.`, response) },
          errors: [404],
        }),
        patch: admin && operation({
          operationId: `update_${kind.singular}`,
          summary: `Change a ${noun}`,
          tag: TAG,
          access: 'write',
          ...(kind.patchParameters ? { parameters: kind.patchParameters } : {}),
          requestBody: jsonBody(schemaRef(`${kind.schemaStem}Patch`)),
          responses: { 200: jsonResponse(`The ${noun}, with the new revision.`, response) },
          errors: [404, 409, 503],
        }),
        delete: admin && operation({
          operationId: `delete_${kind.singular}`,
          summary: `Delete a ${noun}`,
          description: kind.deleteNote,
          tag: TAG,
          access: 'write',
          responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
          errors: [404, 409, 503],
        }),
      },
      [objectParameter, itemParameter],
    ),
  };
}

export function metadataPaths(viewer: Viewer): DocumentPart {
  return {
    tags: [{ name: TAG, description: 'Objects, fields, layouts, views and validation rules' }],
    schemas: metadataDocumentSchemas(),
    paths: definedPaths(Object.assign(objectPaths(viewer.administration), ...elementKinds.map((kind) => elementPaths(kind, viewer.administration)))),
  };
}
