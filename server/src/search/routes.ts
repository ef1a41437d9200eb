import { GLOBAL_SEARCH_DEFAULT_LIMIT, GLOBAL_SEARCH_MAX_LIMIT, GLOBAL_SEARCH_MAX_TEXT } from '@crm/engine';
import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { jsonResponse } from '../openapi/operations';
import { SEARCH_TAG } from '../openapi/search-schemas';
import { schemaRef } from '../openapi/types';

/**
 * Global search (the UIs' Ctrl/Cmd+K): one text over every object the caller may read. The
 * engine searches each object through its list (record scope, hidden fields, pinyin keys).
 */
export const searchRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/search',
    access: 'signed-in',
    query: {
      q: query.string(`The text (1-${GLOBAL_SEARCH_MAX_TEXT} characters).`, { type: 'string', minLength: 1, maxLength: GLOBAL_SEARCH_MAX_TEXT }),
      limit: query.integer(`Hits per object (1-${GLOBAL_SEARCH_MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: GLOBAL_SEARCH_MAX_LIMIT, default: GLOBAL_SEARCH_DEFAULT_LIMIT }),
    },
    openapi: {
      operationId: 'search_records',
      summary: 'Search every object',
      description:
        'The first records of each object you may read whose searched fields contain `q` (case-insensitively), newest first, as its list with `q` would return them. Latin letters also find Chinese text by its pinyin or initials: `huaxin` and `hx` find 华信科技. Objects marked `searchable: false` take no part.',
      tag: SEARCH_TAG.name,
      responses: { 200: jsonResponse('Hits by object.', schemaRef('SearchResults')) },
      errors: [400],
    },
    handler: async (request, _reply, { engine }) => {
      const { q, limit } = request.query;
      return { data: await engine.records.search(actorOf(request), q, limit === undefined ? {} : { limit }) };
    },
  }),
];
