import type { CompiledMetadata } from '@crm/engine';
import { describedObjects, readContextFor, type DescribedObject } from './described-object';
import { englishText } from './labels';
import { definedPaths, jsonBody, jsonResponse, noContent, operation, pathItem, queryParameter } from './operations';
import { collectionActionPaths, itemActionPaths } from './record-action-paths';
import { expandParameter, fieldsParameter, headerRef, listParameters, parameterRef, sharedHeaders, sharedParameters } from './record-parameters';
import { recordSharedSchemas } from './record-shared-schemas';
import { bulkOperations, MAX_BULK_ROWS, recordSchemas } from './record-schemas';
import { schemaRef, type DocumentPart, type PathItemObject, type SchemaObject } from './types';
import type { Viewer } from './viewer';

/**
 * The record API, one set of concrete paths per object (`/api/records/opportunity`, ...) with
 * that object's schemas: a generic `{object}` path would type every record as a bag of unknowns,
 * which is what a generated client is meant to avoid. Only the objects and operations the viewer
 * may use are there; the engine answers the others with 403, which a client has no use for.
 */

const recordHeaders = { ETag: headerRef('ETag') };

/** What an object's active validation rules mean for its writes (nothing when it has none). */
function rulesNote(described: DescribedObject): { description?: string } {
  const rules = described.object.activeValidationRules;
  if (rules.length === 0) return {};
  return {
    description: `Checked against the object's validation rules (${rules.map((r) => `\`${r.name}\``).join(', ')}): a write that breaks any of them is refused with 422 \`rule_violation\`, listing every failing rule (\`fields\`: one entry per rule and field it points at, \`code\` \`rule:<name>\`, the rule's own message).`,
  };
}

/** ['create', 'update', 'upsert'] -> 'Create, update or upsert'. */
function sentenceList(words: readonly string[]): string {
  const text = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function collectionPaths(described: DescribedObject): Record<string, PathItemObject | undefined> {
  const { object, names, may, label, plural } = described;
  const tag = object.name;
  const base = `/api/records/${object.name}`;
  return {
    [base]: pathItem({
      get:
        may.read &&
        operation({
          operationId: `list_${object.name}_records`,
          summary: `List ${plural}`,
          description: 'A page of records in keyset order; follow `next_cursor` for the next page.',
          tag,
          access: 'read',
          parameters: listParameters(described),
          responses: { 200: jsonResponse(`A page of ${plural}.`, schemaRef(names.list)) },
          errors: [400, 403, 404],
        }),
      post:
        may.create &&
        operation({
          operationId: `create_${object.name}_record`,
          summary: `Create ${label}`,
          ...rulesNote(described),
          tag,
          access: 'write',
          parameters: [parameterRef('IdempotencyKey')],
          requestBody: jsonBody(schemaRef(names.create)),
          responses: {
            201: jsonResponse(`The new ${label} record.`, schemaRef(names.read), { ...recordHeaders, Location: headerRef('Location') }),
          },
          errors: [404, 409, 422, 503],
        }),
    }),
    [`${base}/bulk`]: pathItem({
      post:
        bulkOperations(described).length > 0 &&
        operation({
          operationId: `bulk_write_${object.name}_records`,
          summary: `${sentenceList(bulkOperations(described))} up to ${MAX_BULK_ROWS} ${plural}`,
          description: [
            'Each row succeeds or fails on its own (its error in `results`), unless `all_or_nothing` is set: then one failure rolls every row back (`committed: false`, the others `rolled_back`).',
            rulesNote(described).description?.replace('a write', 'a row').replace('is refused with 422', 'fails with'),
          ]
            .filter(Boolean)
            .join(' '),
          tag,
          access: 'write',
          parameters: [parameterRef('IdempotencyKey')],
          requestBody: jsonBody(schemaRef(names.bulkRequest)),
          responses: { 200: jsonResponse('What happened to each row.', schemaRef(names.bulkResult)) },
          errors: [404, 409, 422, 503],
        }),
    }),
  };
}

function itemPaths(described: DescribedObject): Record<string, PathItemObject | undefined> {
  const { object, names, may, label } = described;
  const tag = object.name;
  const base = `/api/records/${object.name}`;
  const record = jsonResponse(`The ${label} record.`, schemaRef(names.read), recordHeaders);
  const id = [parameterRef('RecordId')];
  return {
    [`${base}/{id}`]: pathItem(
      {
        get:
          may.read &&
          operation({
            operationId: `get_${object.name}_record`,
            summary: `Get ${label}`,
            tag,
            access: 'read',
            parameters: [fieldsParameter(described), ...expandParameter(described)],
            responses: { 200: record },
            errors: [400, 403, 404],
          }),
        patch:
          may.edit &&
          operation({
            operationId: `update_${object.name}_record`,
            summary: `Update ${label}`,
            ...rulesNote(described),
            tag,
            access: 'write',
            parameters: [parameterRef('IfMatch')],
            requestBody: jsonBody(schemaRef(names.update)),
            responses: { 200: record },
            errors: [404, 409, 412, 422, 503],
          }),
        delete:
          may.delete &&
          operation({
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
      id,
    ),
    [`${base}/{id}/restore`]: pathItem(
      {
        post:
          may.delete &&
          operation({
            operationId: `restore_${object.name}_record`,
            summary: `Restore ${label} from the recycle bin`,
            description: 'Its master-detail children come back with it. A detail cannot come back before its master (409 `parent_deleted`).',
            tag,
            access: 'write',
            responses: { 200: record },
            errors: [403, 404, 409, 503],
          }),
      },
      id,
    ),
  };
}

export function recordPaths(metadata: CompiledMetadata, viewer: Viewer): DocumentPart {
  const objects = describedObjects(metadata, viewer);
  const context = readContextFor(metadata, objects);
  return {
    paths: definedPaths(
      Object.assign({}, ...objects.map((d) => ({ ...collectionPaths(d), ...collectionActionPaths(d), ...itemPaths(d), ...itemActionPaths(d) }))) as Record<string, PathItemObject | undefined>,
    ),
    tags: objects.map(({ object }) => ({
      name: object.name,
      description: [englishText(object.definition.plural_label) ?? englishText(object.definition.label), object.definition.description]
        .filter(Boolean)
        .join(': '),
    })),
    schemas: {
      ...recordSharedSchemas(),
      ...(Object.assign({}, ...objects.map((d) => recordSchemas(d, context))) as Record<string, SchemaObject>),
    },
    parameters: sharedParameters,
    headers: sharedHeaders,
  };
}
