import { Readable } from 'node:stream';
import { CrmError, MAX_EDITABILITY_IDS } from '@crm/engine';
import { charsetRefusal } from '../http/body-parsers';
import { idempotencyOf } from '../http/idempotency';
import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { idsOf, jsonBody, jsonResponse, noContent, pathParameter, recordStatesResponse } from '../openapi/operations';
import { fieldsParameter, filterParameter, parameterRef, sortParameter } from '../openapi/record-parameters';
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
} from '../openapi/record-shared-schemas';
import { schemaRef } from '../openapi/types';

/**
 * The record API beyond reading and writing one record: export, import, ownership transfer,
 * field history and shares, each described where the viewer holds what the engine checks for it
 * (records/record-service.ts, security/share-service.ts).
 */

const IMPORT_BODY = 'a UTF-8 CSV (text/csv) or NDJSON (application/x-ndjson) file';
const id = parameterRef('RecordId');

/** A bulk write's or an import's outcome, each row's error in the one error shape, in the caller's language. */
export function resultsOf(result: { committed: boolean; results: readonly { error?: CrmError }[]; summary: unknown }, locale: Parameters<CrmError['toBody']>[0]) {
  return {
    committed: result.committed,
    results: result.results.map((r) => (r.error ? { ...r, error: r.error.toBody(locale).error } : r)),
    summary: result.summary,
  };
}

const collectionActions: readonly DeclaredRoute<RouteDeps>[] = [
  // Exports stream as they are read; the engine applies the caller's scope and hidden fields.
  defineRoute({
    method: 'GET',
    url: '/api/records/:object/export',
    access: 'signed-in',
    query: {
      format: query.string('The file format.', { type: 'string', enum: ['csv', 'ndjson'], default: 'csv' }),
      filter: query.json('A JSON-Logic condition, URL-encoded JSON.', undefined, { describeFor: filterParameter }),
      sort: query.string('Sort fields, comma-separated.', undefined, { describeFor: sortParameter }),
      fields: query.list('Only these fields.', undefined, { describeFor: fieldsParameter }),
      labels: query.string('CSV for people, in this language: field labels as the header, options by label, related records by their title, users by name, yes/no in words, and a byte-order mark so that Excel reads it as UTF-8. The import reads such a file back.', {
        type: 'string',
        enum: ['en', 'zh-CN'],
      }),
    },
    openapi: {
      perObject: ({ object, names, may, plural }) =>
        may.export && {
          operationId: `export_${object.name}_records`,
          summary: `Export ${plural} as CSV or NDJSON`,
          // The limit is the server's CRM_EXPORT_MAX_ROWS, which the engine does not expose: its default is stated.
          description: `Streams every record you may read that matches, without the fields hidden from you, as a file download. CSV has a header row of field names; NDJSON is one \`${names.read}\` object per line. An export larger than the server's limit (\`CRM_EXPORT_MAX_ROWS\`, default 100,000) is refused before anything is sent (400 \`export_too_large\`): narrow it with \`filter\`. Every export is recorded in the audit log.`,
          tag: object.name,
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
        },
    },
    handler: async (request, reply, { engine }) => {
      const { format = 'csv', labels, ...options } = request.query;
      const lines = engine.records.export(actorOf(request), request.params.object, { format: format as 'csv' | 'ndjson', ...options, ...(labels ? { labels: labels as 'en' | 'zh-CN' } : {}) });
      // The first chunk is awaited before answering, so a refusal (403, 400) is still an error response.
      const first = await lines.next();
      const stream = Readable.from(
        (async function* () {
          if (!first.done) yield first.value;
          yield* lines;
        })(),
      );
      reply.header('content-type', format === 'ndjson' ? 'application/x-ndjson; charset=utf-8' : 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${request.params.object}.${format === 'ndjson' ? 'ndjson' : 'csv'}"`);
      return reply.send(stream);
    },
  }),
  // Imports take the file itself as the body, CSV or NDJSON: only this route reads those types.
  defineRoute({
    method: 'POST',
    url: '/api/records/:object/import',
    access: 'signed-in',
    configure: (scope) => {
      for (const type of ['text/csv', 'application/x-ndjson']) {
        scope.addContentTypeParser(type, { parseAs: 'string' }, (request, body, done) => done(charsetRefusal(request, IMPORT_BODY) ?? null, body));
      }
    },
    query: {
      mode: query.string('`create` every record, or `upsert` by `upsert_field` (updating the record that holds its value; needs edit permission).', {
        type: 'string',
        enum: ['create', 'upsert'],
        default: 'create',
      }),
      upsert_field: query.string('For upsert: a unique field.', undefined, {
        describeFor: (described) => {
          const unique = described.inputFields.filter((f) => f.definition.unique === true).map((f) => f.name);
          return { name: 'upsert_field', in: 'query', required: false, description: 'For upsert: a unique field.', schema: { type: 'string', ...(unique.length ? { enum: unique } : {}) } };
        },
      }),
      all_or_nothing: query.boolean('Write every record or none.'),
    },
    openapi: {
      perObject: ({ object, may, plural }) =>
        may.create && {
          operationId: `import_${object.name}_records`,
          summary: `Import ${plural} from CSV or NDJSON`,
          description: `Up to ${MAX_IMPORT_ROWS.toLocaleString('en')} records, the file as the body (\`text/csv\` or \`application/x-ndjson\`), each written like a bulk row (validation rules and workflows included; each row succeeds or fails on its own unless \`all_or_nothing\`). CSV columns name fields by API name or by label in any language; cells are read as the export writes them (lists joined with ";", JSON as JSON); an option may be given by its label, a related record by its id or its exact name (its title field, or a unique text field such as a code or an autonumber, among the records you can read), a user by id, e-mail, \`Name <e-mail>\` (as the export for people writes users) or name; an empty cell sets nothing. A file that cannot be read as a whole (bad CSV, an unknown, hidden, computed or repeated column) is refused before anything is written. Results name the line each record came from. Every import is recorded in the audit log. With an \`Idempotency-Key\` the import is one transaction and a retry with the key answers as the first run did, writing nothing again (a client whose answer was lost on the way).`,
          tag: object.name,
          headers: [parameterRef('IdempotencyKey')],
          requestBody: {
            required: true,
            content: {
              'text/csv': { schema: { type: 'string', description: 'RFC 4180 CSV with a header row.' } },
              'application/x-ndjson': { schema: { type: 'string', description: 'One JSON record per line.' } },
            },
          },
          responses: { 200: jsonResponse('What happened to each record.', schemaRef(IMPORT_RESULT_SCHEMA)) },
          errors: [400, 403, 404, 413, 415],
        },
    },
    handler: async (request, _reply, { engine }) => {
      const { mode, upsert_field: upsertField, all_or_nothing: allOrNothing } = request.query;
      const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (typeof request.body !== 'string' || (type !== 'text/csv' && type !== 'application/x-ndjson')) throw new CrmError('unsupported_media_type', { expected: IMPORT_BODY });
      const idempotency = idempotencyOf(request);
      const result = await engine.records.import(
        actorOf(request),
        request.params.object,
        {
          format: type === 'text/csv' ? 'csv' : 'ndjson',
          data: request.body,
          ...(mode !== undefined ? { mode: mode as 'create' | 'upsert' } : {}),
          ...(upsertField !== undefined ? { upsert_field: upsertField } : {}),
          ...(allOrNothing !== undefined ? { all_or_nothing: allOrNothing } : {}),
        },
        idempotency ? { idempotency } : {},
      );
      return resultsOf(result, request.locale);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/records/:object/editability',
    access: 'signed-in',
    query: { ids: query.string(`Record ids, comma-separated (at most ${MAX_EDITABILITY_IDS}).`) },
    openapi: {
      perObject: ({ object, may, plural }) =>
        may.read && {
          operationId: `${object.name}_editability`,
          summary: `Which ${plural} you may change`,
          description:
            'For each of the given records you may read (others are left out): `editable`, whether an edit, a delete (with the delete permission), a transfer or a share would pass your permission and edit scope. An approval lock is not counted (see approval-states). What a record page or a list offers before the user tries.',
          tag: object.name,
          responses: {
            200: recordStatesResponse('Per record.', MAX_EDITABILITY_IDS, { editable: { type: 'boolean' } }),
          },
          errors: [400, 403, 404],
        },
    },
    handler: async (request, _reply, { engine }) => {
      return { data: await engine.records.editability(actorOf(request), request.params.object, idsOf(request.query.ids)) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/records/:object/transfer',
    access: 'signed-in',
    openapi: {
      // The engine checks edit access and, like any write of owner_id, that the field is editable for the caller.
      perObject: ({ object, may, plural, inputFields }) =>
        may.edit &&
        inputFields.some((f) => f.name === 'owner_id') && {
          operationId: `transfer_${object.name}_records`,
          summary: `Give up to ${MAX_TRANSFER} ${plural} to a new owner`,
          description:
            'All or none: each record goes through the update pipeline, so one you may not edit fails the whole request. The new owner must be inside your edit scope (403 otherwise). Every transfer is recorded in the audit log.',
          tag: object.name,
          requestBody: jsonBody(schemaRef(TRANSFER_REQUEST_SCHEMA)),
          responses: { 200: jsonResponse('How many records changed hands.', schemaRef(TRANSFER_RESULT_SCHEMA)) },
          errors: [403, 404, 409, 503],
        },
    },
    handler: async (request, _reply, { engine }) => {
      const body = (request.body ?? {}) as { ids?: unknown; owner_id?: unknown };
      return engine.records.transfer(actorOf(request), request.params.object, body.ids, body.owner_id);
    },
  }),
];

const itemActions: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/records/:object/:id/history',
    access: 'signed-in',
    params: { id },
    openapi: {
      perObject: ({ object, may, label, plural }) =>
        may.read && {
          operationId: `get_${object.name}_history`,
          summary: `Field history of a ${label}`,
          description:
            object.definition.track_history === true
              ? 'Changes of the fields you may see, newest first; the record may be in the recycle bin.'
              : `${plural} do not track field history (\`track_history\` is off), so the list is empty.`,
          tag: object.name,
          responses: { 200: jsonResponse('The changes.', schemaRef(FIELD_HISTORY_SCHEMA)) },
          errors: [403, 404],
        },
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.records.history(actorOf(request), request.params.object, request.params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/records/:object/:id/shares',
    access: 'signed-in',
    params: { id },
    openapi: {
      perObject: ({ object, may, label }) =>
        may.read && {
          operationId: `list_${object.name}_shares`,
          summary: `Who a ${label} is shared with`,
          tag: object.name,
          responses: { 200: jsonResponse('The shares, oldest first.', schemaRef(RECORD_SHARE_LIST_SCHEMA)) },
          errors: [403, 404],
        },
    },
    handler: async (request, _reply, { engine }) => engine.shares.list(actorOf(request), request.params.object, request.params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/records/:object/:id/shares',
    access: 'signed-in',
    params: { id },
    openapi: {
      perObject: ({ object, may, label }) =>
        may.edit && {
          operationId: `share_${object.name}_record`,
          summary: `Share a ${label} with a user or a department`,
          description: 'Only someone who may edit the record can share it (403 otherwise), so nobody grants access they do not hold. Recorded in the audit log.',
          tag: object.name,
          requestBody: jsonBody(schemaRef(SHARE_REQUEST_SCHEMA)),
          responses: { 201: jsonResponse('The share.', schemaRef(RECORD_SHARE_SCHEMA)) },
          errors: [404],
        },
    },
    handler: async (request, reply, { engine }) =>
      reply.status(201).send(await engine.shares.grant(actorOf(request), request.params.object, request.params.id, request.body)),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/records/:object/:id/shares/:share',
    access: 'signed-in',
    params: { id, share: pathParameter('share', 'Share id.', { type: 'string', format: 'uuid' }) },
    openapi: {
      perObject: ({ object, may, label }) =>
        may.edit && {
          operationId: `revoke_${object.name}_share`,
          summary: `Stop sharing a ${label}`,
          tag: object.name,
          responses: { 204: noContent('Revoked.') },
          errors: [404],
        },
    },
    handler: async (request, reply, { engine }) => {
      await engine.shares.revoke(actorOf(request), request.params.object, request.params.id, request.params.share);
      return reply.status(204).send();
    },
  }),
];

export const recordActionRoutes: readonly DeclaredRoute<RouteDeps>[] = [...collectionActions, ...itemActions];
