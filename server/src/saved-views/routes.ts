import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { API_NAME_SCHEMA, jsonBody, jsonResponse, pathParameter } from '../openapi/operations';
import { SAVED_VIEWS_TAG } from '../openapi/saved-view-schemas';
import { schemaRef } from '../openapi/types';

/**
 * Each user's personal saved views of lists (/api/me/views), thin wrappers around
 * engine.savedViews: the engine keeps every call to the caller's own views (another user's is 404)
 * and to objects and fields the caller may read.
 */

const id = pathParameter('id', 'Id of the saved view.', { type: 'string', format: 'uuid' });

export const savedViewRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/me/views',
    access: 'signed-in',
    query: { object: query.string('Only views of this object.', API_NAME_SCHEMA) },
    openapi: {
      operationId: 'list_saved_views',
      summary: 'My saved views',
      description: 'By name. Without `object`, your views of every object you may read. 403 for an object you may not read.',
      tag: SAVED_VIEWS_TAG.name,
      responses: { 200: jsonResponse('The views.', schemaRef('SavedViewList')) },
      errors: [403, 404],
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.savedViews.list(actorOf(request), request.query.object) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/me/views',
    access: 'signed-in',
    openapi: {
      operationId: 'create_saved_view',
      summary: 'Save a view',
      description:
        'Columns, sort and filter may name only fields you may read; the filter is checked as the records API checks it (400 `rule_invalid`, `filter_not_translatable`, `sort_invalid`, otherwise `validation_failed` naming each problem). 409 `name_taken` when you already have a view of that name for the object.',
      tag: SAVED_VIEWS_TAG.name,
      requestBody: jsonBody(schemaRef('SavedViewCreateRequest')),
      responses: { 201: jsonResponse('The view.', schemaRef('SavedView')) },
      errors: [404, 409],
    },
    handler: async (request, reply, { engine }) => reply.status(201).send(await engine.savedViews.create(actorOf(request), request.body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/me/views/:id',
    access: 'signed-in',
    params: { id },
    openapi: {
      operationId: 'get_saved_view',
      summary: 'One of my saved views',
      tag: SAVED_VIEWS_TAG.name,
      responses: { 200: jsonResponse('The view.', schemaRef('SavedView')) },
      errors: [403, 404],
    },
    handler: async (request, _reply, { engine }) => engine.savedViews.get(actorOf(request), request.params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/me/views/:id',
    access: 'signed-in',
    params: { id },
    openapi: {
      operationId: 'update_saved_view',
      summary: 'Rename a saved view or change what it shows',
      description: 'Checked as a new view is. 404 for a view that is not yours.',
      tag: SAVED_VIEWS_TAG.name,
      requestBody: jsonBody(schemaRef('SavedViewPatch')),
      responses: { 200: jsonResponse('The view.', schemaRef('SavedView')) },
      errors: [404, 409],
    },
    handler: async (request, _reply, { engine }) => engine.savedViews.update(actorOf(request), request.params.id, request.body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/me/views/:id',
    access: 'signed-in',
    params: { id },
    openapi: {
      operationId: 'delete_saved_view',
      summary: 'Delete a saved view',
      description: 'Also a view of an object you may no longer read. 404 for a view that is not yours.',
      tag: SAVED_VIEWS_TAG.name,
      responses: { 200: jsonResponse('What was deleted.', schemaRef('SavedViewDeleted')) },
      errors: [404],
    },
    handler: async (request, _reply, { engine }) => engine.savedViews.delete(actorOf(request), request.params.id),
  }),
];
