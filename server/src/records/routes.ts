import { DEFAULT_LIMIT, MAX_GROUPS, MAX_LIMIT } from '@crm/engine';
import { expectedVersion, setETag } from '../http/etag';
import { idempotencyOf } from '../http/idempotency';
import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { jsonBody, jsonResponse, noContent } from '../openapi/operations';
import { recordHeaders, rulesNote, sentenceList } from '../openapi/record-components';
import { expandParameter, fieldsParameter, filterParameter, headerRef, parameterRef, searchParameter, sortParameter } from '../openapi/record-parameters';
import { bulkOperations, MAX_BULK_ROWS } from '../openapi/record-schemas';
import { schemaRef } from '../openapi/types';
import { recordActionRoutes, resultsOf } from './action-routes';

/**
 * The record API, generated from metadata at request time: `:object` is looked up in the current
 * compiled metadata on every request, so an object or field added a moment ago is usable at
 * once, with no route to register or restart. Each route is documented once per object the
 * viewer may use, with that object's schemas, where the viewer holds what the engine checks.
 */

const id = parameterRef('RecordId');
const fields = query.list('Return only these fields (comma-separated); `id` always comes back.', undefined, { describeFor: fieldsParameter });
const expand = query.list('Reference fields to return as objects instead of ids (comma-separated).', undefined, { describeFor: (d) => expandParameter(d)[0] });

const collectionRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/records/:object',
    access: 'signed-in',
    query: {
      filter: query.json('A JSON-Logic condition, URL-encoded JSON.', undefined, { describeFor: filterParameter }),
      // A string: the engine parses the sort and reports its own problems with it.
      sort: query.string('Sort fields, comma-separated, `-` for descending.', undefined, { describeFor: sortParameter }),
      limit: query.integer(`Records per page (1-${MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
      cursor: query.string('The `next_cursor` of the previous page.'),
      fields,
      q: query.string('Text search.', undefined, { describeFor: searchParameter }),
      expand,
      count: query.boolean('Also return `total`, the number of matching records.'),
      deleted: query.boolean('List the recycle bin instead of live records.'),
    },
    openapi: {
      perObject: ({ object, names, may, plural }) =>
        may.read && {
          operationId: `list_${object.name}_records`,
          summary: `List ${plural}`,
          description: 'A page of records in keyset order; follow `next_cursor` for the next page.',
          tag: object.name,
          responses: { 200: jsonResponse(`A page of ${plural}.`, schemaRef(names.list)) },
          errors: [400, 403, 404],
        },
    },
    handler: async (request, _reply, { engine }) => {
      const { q, ...options } = request.query;
      return engine.records.list(actorOf(request), request.params.object, q === undefined ? options : { ...options, search: q });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/records/:object/groups',
    access: 'signed-in',
    query: {
      group_by: query.string('The field whose values make the groups (required).'),
      sum: query.string('A number field to sum per group.'),
      filter: query.json('A JSON-Logic condition, URL-encoded JSON.', undefined, { describeFor: filterParameter }),
      q: query.string('Text search.', undefined, { describeFor: searchParameter }),
    },
    openapi: {
      perObject: ({ object, may, plural }) =>
        may.read && {
          operationId: `group_${object.name}_records`,
          summary: `Count ${plural} per value of a field`,
          description: `How many ${plural} you may read hold each value of \`group_by\` (at most ${MAX_GROUPS} groups, largest first), and with \`sum\` the total of a number field per group (an exact decimal string): the column totals of a board, in one query. \`filter\` and \`q\` narrow the records as in the list.`,
          tag: object.name,
          responses: {
            200: jsonResponse('The groups.', {
              type: 'object',
              properties: {
                data: {
                  type: 'array',
                  maxItems: MAX_GROUPS,
                  items: {
                    type: 'object',
                    properties: {
                      key: { type: ['string', 'null'], description: 'The value (null: records without one).' },
                      count: { type: 'integer', minimum: 1 },
                      sum: { type: ['string', 'null'], description: 'With `sum`: the total (null when no record of the group has a value).' },
                    },
                    required: ['key', 'count'],
                  },
                },
              },
              required: ['data'],
            }),
          },
          errors: [400, 403, 404],
        },
    },
    handler: async (request, _reply, { engine }) => {
      const { q, group_by: groupBy, sum, filter } = request.query;
      const options = { group_by: groupBy ?? '', ...(sum === undefined ? {} : { sum }), ...(filter === undefined ? {} : { filter }), ...(q === undefined ? {} : { search: q }) };
      return { data: await engine.records.groups(actorOf(request), request.params.object, options) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/records/:object',
    access: 'signed-in',
    openapi: {
      perObject: (described) =>
        described.may.create && {
          operationId: `create_${described.object.name}_record`,
          summary: `Create ${described.label}`,
          ...rulesNote(described),
          tag: described.object.name,
          headers: [parameterRef('IdempotencyKey')],
          requestBody: jsonBody(schemaRef(described.names.create)),
          responses: {
            201: jsonResponse(`The new ${described.label} record.`, schemaRef(described.names.read), { ...recordHeaders, Location: headerRef('Location') }),
          },
          errors: [404, 409, 422, 503],
        },
    },
    handler: async (request, reply, { engine }) => {
      const idempotency = idempotencyOf(request);
      const record = await engine.records.create(actorOf(request), request.params.object, request.body, idempotency ? { idempotency } : {});
      setETag(reply, record);
      reply.header('location', `/api/records/${request.params.object}/${String(record.id)}`);
      return reply.status(201).send(record);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/records/:object/bulk',
    access: 'signed-in',
    openapi: {
      perObject: (described) => {
        const operations = bulkOperations(described);
        return (
          operations.length > 0 && {
            operationId: `bulk_write_${described.object.name}_records`,
            summary: `${sentenceList(operations)} up to ${MAX_BULK_ROWS} ${described.plural}`,
            description: [
              'Each row succeeds or fails on its own (its error in `results`), unless `all_or_nothing` is set: then one failure rolls every row back (`committed: false`, the others `rolled_back`).',
              rulesNote(described).description?.replace('a write', 'a row').replace('is refused with 422', 'fails with'),
            ]
              .filter(Boolean)
              .join(' '),
            tag: described.object.name,
            headers: [parameterRef('IdempotencyKey')],
            requestBody: jsonBody(schemaRef(described.names.bulkRequest)),
            responses: { 200: jsonResponse('What happened to each row.', schemaRef(described.names.bulkResult)) },
            errors: [404, 409, 422, 503],
          }
        );
      },
    },
    handler: async (request, _reply, { engine }) => {
      const idempotency = idempotencyOf(request);
      return resultsOf(await engine.records.bulk(actorOf(request), request.params.object, request.body, idempotency ? { idempotency } : {}), request.locale);
    },
  }),
];

const itemRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/records/:object/:id',
    access: 'signed-in',
    params: { id },
    query: { fields, expand },
    openapi: {
      perObject: ({ object, names, may, label }) =>
        may.read && {
          operationId: `get_${object.name}_record`,
          summary: `Get ${label}`,
          description:
            'A record you may read: one your read scope reaches, one shared with you, or one an approval task of yours waits on (until you decide or the task leaves you; fields hidden from your role stay hidden). Otherwise 404, as for a missing record.',
          tag: object.name,
          responses: { 200: jsonResponse(`The ${label} record.`, schemaRef(names.read), recordHeaders) },
          errors: [400, 403, 404],
        },
    },
    handler: async (request, reply, { engine }) => {
      const { fields: only, expand: expanded } = request.query;
      // The ETag needs the version even when the caller did not ask for it.
      const withVersion = only && !only.includes('version') ? [...only, 'version'] : only;
      const options = { ...(withVersion ? { fields: withVersion } : {}), ...(expanded ? { expand: expanded } : {}) };
      const record = await engine.records.get(actorOf(request), request.params.object, request.params.id, options);
      setETag(reply, record);
      if (withVersion !== only) delete record.version;
      return record;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/records/:object/:id',
    access: 'signed-in',
    params: { id },
    openapi: {
      perObject: (described) =>
        described.may.edit && {
          operationId: `update_${described.object.name}_record`,
          summary: `Update ${described.label}`,
          ...rulesNote(described),
          tag: described.object.name,
          headers: [parameterRef('IfMatch')],
          requestBody: jsonBody(schemaRef(described.names.update)),
          responses: { 200: jsonResponse(`The ${described.label} record.`, schemaRef(described.names.read), recordHeaders) },
          errors: [404, 409, 412, 422, 503],
        },
    },
    handler: async (request, reply, { engine }) => {
      const version = expectedVersion(request);
      const record = await engine.records.update(actorOf(request), request.params.object, request.params.id, request.body, version === undefined ? {} : { expectedVersion: version });
      setETag(reply, record);
      return record;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/records/:object/:id',
    access: 'signed-in',
    params: { id },
    query: { purge: query.boolean('Delete a record that is already in the recycle bin for good.') },
    openapi: {
      perObject: ({ object, names, may, label }) =>
        may.delete && {
          operationId: `delete_${object.name}_record`,
          summary: `Move ${label} to the recycle bin, or purge it`,
          description:
            'Master-detail children go to the recycle bin with it; a record still referenced through a restrict lookup cannot be deleted (409 `reference_in_use`). With `purge=true`, a record already in the recycle bin is deleted for good (204).',
          tag: object.name,
          headers: [parameterRef('IfMatch')],
          responses: {
            200: jsonResponse(`The ${label} record, now in the recycle bin.`, schemaRef(names.read), recordHeaders),
            204: noContent('Purged.'),
          },
          errors: [404, 409, 412, 503],
        },
    },
    handler: async (request, reply, { engine }) => {
      if (request.query.purge) {
        await engine.records.purge(actorOf(request), request.params.object, request.params.id);
        return reply.status(204).send();
      }
      const version = expectedVersion(request);
      const record = await engine.records.delete(actorOf(request), request.params.object, request.params.id, version === undefined ? {} : { expectedVersion: version });
      setETag(reply, record);
      return record;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/records/:object/:id/restore',
    access: 'signed-in',
    params: { id },
    openapi: {
      perObject: ({ object, names, may, label }) =>
        may.delete && {
          operationId: `restore_${object.name}_record`,
          summary: `Restore ${label} from the recycle bin`,
          description: 'Its master-detail children come back with it. A detail cannot come back before its master (409 `parent_deleted`).',
          tag: object.name,
          responses: { 200: jsonResponse(`The ${label} record.`, schemaRef(names.read), recordHeaders) },
          errors: [403, 404, 409, 503],
        },
    },
    handler: async (request, reply, { engine }) => {
      const record = await engine.records.restore(actorOf(request), request.params.object, request.params.id);
      setETag(reply, record);
      return record;
    },
  }),
];

export const recordRoutes: readonly DeclaredRoute<RouteDeps>[] = [...collectionRoutes, ...recordActionRoutes, ...itemRoutes];
