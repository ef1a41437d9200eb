import type { DescribedObject } from './described-object';
import { EXPANDED_USER_SCHEMA, isExpandable } from './field-value-schemas';
import { commaListParameter, queryParameter } from './operations';
import type { HeaderObject, ParameterObject, ReferenceObject } from './types';

/**
 * Parameters and headers of the record API. The field lists (fields, sort, expand, the filter's
 * and search's fields) are the fields the viewer sees: the engine refuses hidden ones in every
 * one of them, so offering them would be wrong as well as telling.
 */

// Mirrors the engine's sort limit (records/sort.ts).
const MAX_SORT_FIELDS = 5;

export const parameterRef = (name: string): ReferenceObject => ({ $ref: `#/components/parameters/${name}` });
export const headerRef = (name: string): ReferenceObject => ({ $ref: `#/components/headers/${name}` });

export const sharedParameters: Record<string, ParameterObject> = {
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

export const sharedHeaders: Record<string, HeaderObject> = {
  ETag: { description: 'The record version, quoted (`"3"`): send it back in If-Match.', schema: { type: 'string' } },
  Location: { description: 'URL of the new record.', schema: { type: 'string', format: 'uri-reference' } },
};

export function filterParameter(described: DescribedObject): ParameterObject {
  const filterable = described.fields.filter((f) => f.type.capabilities.filterable).map((f) => f.name);
  return queryParameter(
    'filter',
    `A JSON-Logic condition, URL-encoded JSON, run in the database, e.g. \`{"==":[{"var":"owner_id"},{"var":"$user.id"}]}\`. Fields: ${filterable.join(', ')}; also \`$user.id\`, \`$now\`, \`$today\`.`,
    { type: 'string' },
  );
}

export function sortParameter(described: DescribedObject): ParameterObject {
  const sortable = described.fields.filter((f) => f.column !== null && f.type.capabilities.sortable).map((f) => f.name);
  return commaListParameter(
    'sort',
    'Sort fields, comma-separated, `-` for descending (e.g. `-created_at,id`). Default: newest first.',
    { type: 'string', enum: sortable.flatMap((name) => [name, `-${name}`]) },
    MAX_SORT_FIELDS,
  );
}

export function fieldsParameter(described: DescribedObject): ParameterObject {
  return commaListParameter('fields', 'Return only these fields (comma-separated); `id` always comes back.', {
    type: 'string',
    enum: described.fields.map((f) => f.name),
  });
}

export function expandParameter(described: DescribedObject): ParameterObject[] {
  const expandable = described.fields.filter(isExpandable).map((f) => f.name);
  if (expandable.length === 0) return [];
  return [
    commaListParameter(
      'expand',
      `Reference fields to return as objects instead of ids (comma-separated): a lookup as the referenced record (only \`{id}\` when you may not read it or it is in the recycle bin), a user field as \`${EXPANDED_USER_SCHEMA}\`.`,
      { type: 'string', enum: expandable },
    ),
  ];
}

export function searchParameter(described: DescribedObject): ParameterObject {
  const { object } = described;
  const searchable = described.fields.filter((f) => !f.system && f.column !== null && object.searchColumns.includes(f.column)).map((f) => f.name);
  return queryParameter(
    'q',
    searchable.length
      ? `Text searched case-insensitively in ${searchable.join(', ')}.`
      : 'Text search (this object has no searchable field for you, so it matches nothing).',
    { type: 'string' },
  );
}
