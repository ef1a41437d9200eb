import { englishText } from './labels';
import { EXPANDED_USER_SCHEMA, isExpandable, type TypeContext } from './field-value-schemas';
import {
  commaListParameter,
  jsonBody,
  jsonResponse,
  noContent,
  operation,
  queryParameter,
} from './operations';
import { MAX_BULK_ROWS, recordSchemaNames, recordSchemas, type RecordSchemaNames } from './record-schemas';
import { schemaRef, type CompiledObject, type DocumentPart, type HeaderObject, type ParameterObject, type PathItemObject, type ReferenceObject } from './types';
import { DEFAULT_LIMIT, MAX_LIMIT } from '@crm/engine';

/**
 * The record API, one set of concrete paths per object (`/api/records/opportunity`, ...) with
 * that object's schemas: a generic `{object}` path would type every record as a bag of unknowns,
 * which is what a generated client is meant to avoid.
 */

// Mirrors the engine's sort limit (records/sort.ts).
const MAX_SORT_FIELDS = 5;

const parameterRef = (name: string): ReferenceObject => ({ $ref: `#/components/parameters/${name}` });
const headerRef = (name: string): ReferenceObject => ({ $ref: `#/components/headers/${name}` });

const sharedParameters: Record<string, ParameterObject> = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Makes a retried create safe: a second request with the same key returns the first result instead of creating another record. Reusing a key for a different body is refused (422).',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'The version you last read, as its ETag (`"3"`). When the record changed since, the request fails with 412 `stale_version`; `*` or no header writes whatever the version.',
    schema: { type: 'string', examples: ['"3"'] },
  },
  RecordId: { name: 'id', in: 'path', required: true, description: 'Record id.', schema: { type: 'string', format: 'uuid' } },
};

const sharedHeaders: Record<string, HeaderObject> = {
  ETag: { description: 'The record version, quoted (`"3"`): send it back in If-Match.', schema: { type: 'string' } },
  Location: { description: 'URL of the new record.', schema: { type: 'string', format: 'uri-reference' } },
};

const recordHeaders = { ETag: headerRef('ETag') };

function listParameters(object: CompiledObject): ParameterObject[] {
  const sortable = object.fields.filter((f) => f.column !== null && f.type.capabilities.sortable).map((f) => f.name);
  const filterable = object.fields.filter((f) => f.type.capabilities.filterable).map((f) => f.name);
  const searchable = object.userFields.filter((f) => f.column !== null && object.searchColumns.includes(f.column)).map((f) => f.name);
  return [
    queryParameter(
      'filter',
      `A JSON-Logic condition, URL-encoded JSON, run in the database, e.g. \`{"==":[{"var":"owner_id"},{"var":"$user.id"}]}\`. Fields: ${filterable.join(', ')}; also \`$user.id\`, \`$now\`, \`$today\`.`,
      { type: 'string' },
    ),
    commaListParameter(
      'sort',
      'Sort fields, comma-separated, `-` for descending (e.g. `-created_at,id`). Default: newest first.',
      { type: 'string', enum: sortable.flatMap((name) => [name, `-${name}`]) },
      MAX_SORT_FIELDS,
    ),
    queryParameter('limit', `Records per page (1-${MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
    queryParameter('cursor', 'The `next_cursor` of the previous page.', { type: 'string' }),
    fieldsParameter(object),
    queryParameter(
      'q',
      searchable.length
        ? `Text searched case-insensitively in ${searchable.join(', ')}.`
        : 'Text search (this object has no searchable field yet, so it matches nothing).',
      { type: 'string' },
    ),
    ...expandParameter(object),
    queryParameter('count', 'Also return `total`, the number of matching records.', { type: 'boolean', default: false }),
    queryParameter('deleted', 'List the recycle bin instead of live records.', { type: 'boolean', default: false }),
  ];
}

function fieldsParameter(object: CompiledObject): ParameterObject {
  return commaListParameter('fields', 'Return only these fields (comma-separated); `id` always comes back.', {
    type: 'string',
    enum: object.fields.map((f) => f.name),
  });
}

function expandParameter(object: CompiledObject): ParameterObject[] {
  const expandable = object.fields.filter(isExpandable).map((f) => f.name);
  if (expandable.length === 0) return [];
  return [
    commaListParameter(
      'expand',
      `Reference fields to return as objects instead of ids (comma-separated): a lookup as the referenced record (null when that is in the recycle bin), a user field as \`${EXPANDED_USER_SCHEMA}\`.`,
      { type: 'string', enum: expandable },
    ),
  ];
}

function objectPaths(object: CompiledObject, names: RecordSchemaNames): Record<string, PathItemObject> {
  const base = `/api/records/${object.name}`;
  const label = englishText(object.definition.label) ?? object.name;
  const plural = englishText(object.definition.plural_label) ?? object.name;
  const tag = object.name;
  const record = jsonResponse(`The ${label} record.`, schemaRef(names.read), recordHeaders);
  return {
    [base]: {
      get: operation({
        operationId: `list_${object.name}_records`,
        summary: `List ${plural}`,
        description: 'A page of records in keyset order; follow `next_cursor` for the next page.',
        tag,
        access: 'read',
        parameters: listParameters(object),
        responses: { 200: jsonResponse(`A page of ${plural}.`, schemaRef(names.list)) },
        errors: [400, 404],
      }),
      post: operation({
        operationId: `create_${object.name}_record`,
        summary: `Create ${label}`,
        tag,
        access: 'write',
        parameters: [parameterRef('IdempotencyKey')],
        requestBody: jsonBody(schemaRef(names.create)),
        responses: {
          201: jsonResponse(`The new ${label} record.`, schemaRef(names.read), { ...recordHeaders, Location: headerRef('Location') }),
        },
        errors: [404, 409, 422, 503],
      }),
    },
    [`${base}/bulk`]: {
      post: operation({
        operationId: `bulk_write_${object.name}_records`,
        summary: `Create, update or upsert up to ${MAX_BULK_ROWS} ${plural}`,
        description:
          'Each row succeeds or fails on its own (its error in `results`), unless `all_or_nothing` is set: then one failure rolls every row back (`committed: false`, the others `rolled_back`).',
        tag,
        access: 'write',
        parameters: [parameterRef('IdempotencyKey')],
        requestBody: jsonBody(schemaRef(names.bulkRequest)),
        responses: { 200: jsonResponse('What happened to each row.', schemaRef(names.bulkResult)) },
        errors: [404, 409, 422, 503],
      }),
    },
    [`${base}/{id}`]: {
      parameters: [parameterRef('RecordId')],
      get: operation({
        operationId: `get_${object.name}_record`,
        summary: `Get ${label}`,
        tag,
        access: 'read',
        parameters: [fieldsParameter(object), ...expandParameter(object)],
        responses: { 200: record },
        errors: [400, 404],
      }),
      patch: operation({
        operationId: `update_${object.name}_record`,
        summary: `Update ${label}`,
        tag,
        access: 'write',
        parameters: [parameterRef('IfMatch')],
        requestBody: jsonBody(schemaRef(names.update)),
        responses: { 200: record },
        errors: [404, 409, 412, 503],
      }),
      delete: operation({
        operationId: `delete_${object.name}_record`,
        summary: `Move ${label} to the recycle bin, or purge it`,
        description:
          'Master-detail children go to the recycle bin with it; a record still referenced through a restrict lookup cannot be deleted (409 `reference_in_use`). With `purge=true`, a record already in the recycle bin is deleted for good (204).',
        tag,
        access: 'write',
        parameters: [
          parameterRef('IfMatch'),
          queryParameter('purge', 'Delete a record that is already in the recycle bin for good.', { type: 'boolean', default: false }),
        ],
        responses: {
          200: jsonResponse(`The ${label} record, now in the recycle bin.`, schemaRef(names.read), recordHeaders),
          204: noContent('Purged.'),
        },
        errors: [404, 409, 412, 503],
      }),
    },
    [`${base}/{id}/restore`]: {
      parameters: [parameterRef('RecordId')],
      post: operation({
        operationId: `restore_${object.name}_record`,
        summary: `Restore ${label} from the recycle bin`,
        description: 'Its master-detail children come back with it. A detail cannot come back before its master (409 `parent_deleted`).',
        tag,
        access: 'write',
        responses: { 200: record },
        errors: [404, 409, 503],
      }),
    },
  };
}

export function recordPaths(objects: readonly CompiledObject[], context: TypeContext): DocumentPart {
  const objectNames = new Set(objects.map((o) => o.name));
  const named = objects.map((object) => ({ object, names: recordSchemaNames(object.name, objectNames) }));
  return {
    paths: Object.assign({}, ...named.map(({ object, names }) => objectPaths(object, names))) as Record<string, PathItemObject>,
    tags: objects.map((object) => ({
      name: object.name,
      description: [englishText(object.definition.plural_label) ?? englishText(object.definition.label), object.definition.description]
        .filter(Boolean)
        .join(': '),
    })),
    schemas: {
      [EXPANDED_USER_SCHEMA]: {
        type: 'object',
        description: 'A user field (or created_by, updated_by, owner_id) with `expand`.',
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          email: { type: ['string', 'null'], format: 'email' },
          active: { type: 'boolean' },
        },
        required: ['id', 'name', 'email', 'active'],
      },
      ...Object.assign({}, ...named.map(({ object, names }) => recordSchemas(object, context, names))),
    },
    parameters: sharedParameters,
    headers: sharedHeaders,
  };
}
