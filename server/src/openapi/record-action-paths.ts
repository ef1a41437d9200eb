import type { DescribedObject } from './described-object';
import { jsonBody, jsonResponse, noContent, operation, pathItem, pathParameter, queryParameter } from './operations';
import { fieldsParameter, filterParameter, parameterRef, sortParameter } from './record-parameters';
import {
  FIELD_HISTORY_SCHEMA,
  IMPORT_RESULT_SCHEMA,
  MAX_IMPORT_ROWS,
  MAX_TRANSFER,
  RECORD_SHARE_LIST_SCHEMA,
  RECORD_SHARE_SCHEMA,
  SHARE_REQUEST_SCHEMA,
  TRANSFER_REQUEST_SCHEMA,
  TRANSFER_RESULT_SCHEMA,
} from './record-shared-schemas';
import { schemaRef, type PathItemObject } from './types';

/**
 * The record API beyond reading and writing one record: export, ownership transfer, field
 * history and shares, each present when the viewer holds what the engine checks for it
 * (records/record-service.ts, security/share-service.ts).
 */

function exportPath(described: DescribedObject): PathItemObject | undefined {
  const { object, names, may } = described;
  return pathItem({
    get:
      may.export &&
      operation({
        operationId: `export_${object.name}_records`,
        summary: `Export ${described.plural} as CSV or NDJSON`,
        // The limit is the server's CRM_EXPORT_MAX_ROWS, which the engine does not expose: its default is stated.
        description: `Streams every record you may read that matches, without the fields hidden from you, as a file download. CSV has a header row of field names; NDJSON is one \`${names.read}\` object per line. An export larger than the server's limit (\`CRM_EXPORT_MAX_ROWS\`, default 100,000) is refused before anything is sent (400 \`export_too_large\`): narrow it with \`filter\`. Every export is recorded in the audit log.`,
        tag: object.name,
        access: 'read',
        parameters: [
          queryParameter('format', 'The file format.', { type: 'string', enum: ['csv', 'ndjson'], default: 'csv' }),
          filterParameter(described),
          sortParameter(described),
          fieldsParameter(described),
        ],
        responses: {
          200: {
            description: 'The records, streamed.',
            headers: {
              'Content-Disposition': { description: `\`attachment; filename="${object.name}.csv"\` (or \`.ndjson\`).`, schema: { type: 'string' } },
            },
            content: {
              'text/csv': { schema: { type: 'string', description: 'RFC 4180 CSV with a header row.' } },
              'application/x-ndjson': { schema: { type: 'string', description: `One JSON \`${names.read}\` record per line.` } },
            },
          },
        },
        errors: [400, 403, 404],
      }),
  });
}

function importPath(described: DescribedObject): PathItemObject | undefined {
  const { object, may } = described;
  const uniqueFields = described.inputFields.filter((f) => f.definition.unique === true).map((f) => f.name);
  return pathItem({
    post:
      may.create &&
      operation({
        operationId: `import_${object.name}_records`,
        summary: `Import ${described.plural} from CSV or NDJSON`,
        description: `Up to ${MAX_IMPORT_ROWS.toLocaleString('en')} records, the file as the body (\`text/csv\` or \`application/x-ndjson\`), each written like a bulk row (validation rules and workflows included; each row succeeds or fails on its own unless \`all_or_nothing\`). CSV columns name fields by API name or by label in any language; cells are read as the export writes them (lists joined with ";", JSON as JSON); an empty cell sets nothing. A file that cannot be read as a whole (bad CSV, an unknown, hidden, computed or repeated column) is refused before anything is written. Results name the line each record came from. Every import is recorded in the audit log.`,
        tag: object.name,
        access: 'write',
        parameters: [
          queryParameter('mode', '`create` every record, or `upsert` by `upsert_field` (updating the record that holds its value; needs edit permission).', { type: 'string', enum: ['create', 'upsert'], default: 'create' }),
          queryParameter('upsert_field', 'For upsert: a unique field.', { type: 'string', ...(uniqueFields.length ? { enum: uniqueFields } : {}) }),
          queryParameter('all_or_nothing', 'Write every record or none.', { type: 'boolean', default: false }),
        ],
        requestBody: {
          required: true,
          content: {
            'text/csv': { schema: { type: 'string', description: 'RFC 4180 CSV with a header row.' } },
            'application/x-ndjson': { schema: { type: 'string', description: 'One JSON record per line.' } },
          },
        },
        responses: { 200: jsonResponse('What happened to each record.', schemaRef(IMPORT_RESULT_SCHEMA)) },
        errors: [400, 403, 404, 413, 415],
      }),
  });
}

function transferPath(described: DescribedObject): PathItemObject | undefined {
  const { object, may } = described;
  // The engine checks edit access and, like any write of owner_id, that the field is editable for the caller.
  const allowed = may.edit && described.inputFields.some((f) => f.name === 'owner_id');
  return pathItem({
    post:
      allowed &&
      operation({
        operationId: `transfer_${object.name}_records`,
        summary: `Give up to ${MAX_TRANSFER} ${described.plural} to a new owner`,
        description:
          'All or none: each record goes through the update pipeline, so one you may not edit fails the whole request. The new owner must be inside your edit scope (403 otherwise). Every transfer is recorded in the audit log.',
        tag: object.name,
        access: 'write',
        requestBody: jsonBody(schemaRef(TRANSFER_REQUEST_SCHEMA)),
        responses: { 200: jsonResponse('How many records changed hands.', schemaRef(TRANSFER_RESULT_SCHEMA)) },
        errors: [403, 404, 409, 503],
      }),
  });
}

function historyPath(described: DescribedObject): PathItemObject | undefined {
  const { object, may } = described;
  const tracked = object.definition.track_history === true;
  return pathItem(
    {
      get:
        may.read &&
        operation({
          operationId: `get_${object.name}_history`,
          summary: `Field history of a ${described.label}`,
          description: tracked
            ? 'Changes of the fields you may see, newest first; the record may be in the recycle bin.'
            : `${described.plural} do not track field history (\`track_history\` is off), so the list is empty.`,
          tag: object.name,
          access: 'read',
          responses: { 200: jsonResponse('The changes.', schemaRef(FIELD_HISTORY_SCHEMA)) },
          errors: [403, 404],
        }),
    },
    [parameterRef('RecordId')],
  );
}

function sharePaths(described: DescribedObject, base: string): Record<string, PathItemObject | undefined> {
  const { object, may } = described;
  const tag = object.name;
  return {
    [`${base}/{id}/shares`]: pathItem(
      {
        get:
          may.read &&
          operation({
            operationId: `list_${object.name}_shares`,
            summary: `Who a ${described.label} is shared with`,
            tag,
            access: 'read',
            responses: { 200: jsonResponse('The shares, oldest first.', schemaRef(RECORD_SHARE_LIST_SCHEMA)) },
            errors: [403, 404],
          }),
        post:
          may.edit &&
          operation({
            operationId: `share_${object.name}_record`,
            summary: `Share a ${described.label} with a user or a department`,
            description: 'Only someone who may edit the record can share it (403 otherwise), so nobody grants access they do not hold. Recorded in the audit log.',
            tag,
            access: 'write',
            requestBody: jsonBody(schemaRef(SHARE_REQUEST_SCHEMA)),
            responses: { 201: jsonResponse('The share.', schemaRef(RECORD_SHARE_SCHEMA)) },
            errors: [404],
          }),
      },
      [parameterRef('RecordId')],
    ),
    [`${base}/{id}/shares/{share}`]: pathItem(
      {
        delete:
          may.edit &&
          operation({
            operationId: `revoke_${object.name}_share`,
            summary: `Stop sharing a ${described.label}`,
            tag,
            access: 'write',
            responses: { 204: noContent('Revoked.') },
            errors: [404],
          }),
      },
      [parameterRef('RecordId'), pathParameter('share', 'Share id.', { type: 'string', format: 'uuid' })],
    ),
  };
}

/** Export and transfer, next to the collection they act on. */
export function collectionActionPaths(described: DescribedObject): Record<string, PathItemObject | undefined> {
  const base = `/api/records/${described.object.name}`;
  return { [`${base}/export`]: exportPath(described), [`${base}/import`]: importPath(described), [`${base}/transfer`]: transferPath(described) };
}

/** History and shares, after the record they belong to. */
export function itemActionPaths(described: DescribedObject): Record<string, PathItemObject | undefined> {
  const base = `/api/records/${described.object.name}`;
  return { [`${base}/{id}/history`]: historyPath(described), ...sharePaths(described, base) };
}
