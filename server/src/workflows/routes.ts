import { systemActor, type Engine } from '@crm/engine';
import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { API_NAME_SCHEMA, jsonBody, jsonResponse, pathParameter } from '../openapi/operations';
import { schemaRef } from '../openapi/types';
import { UUID, WORKFLOW_LIST_MAX_LIMIT, WORKFLOWS_TAG } from '../openapi/workflow-schemas';

/**
 * Workflows over HTTP, thin wrappers around the engine: workflow documents under the metadata
 * API (/api/meta/objects/:object/workflows, administrators only, like approval processes), the
 * run log (/api/workflow-runs, administrators only) and each user's in-app notifications
 * (/api/notifications). The engine decides who may do what.
 */

const METADATA = 'metadata';
const object = pathParameter('object', 'API name of the object.', API_NAME_SCHEMA);
const name = pathParameter('name', 'API name of the workflow.', API_NAME_SCHEMA);
const response = schemaRef('WorkflowResponse');
const limit = query.integer(`At most this many (1-${WORKFLOW_LIST_MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: WORKFLOW_LIST_MAX_LIMIT, default: 50 });
const metadataRevision = async (engine: Engine) => (await engine.metadata(systemActor)).revision;

export const workflowRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/meta/objects/:object/workflows',
    access: 'admin',
    params: { object },
    openapi: {
      operationId: 'list_workflows',
      summary: "List an object's workflows",
      tag: METADATA,
      responses: { 200: jsonResponse('The workflows, in name order.', schemaRef('WorkflowList')) },
      errors: [403, 404],
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.workflows.list(actorOf(request), request.params.object), revision: await metadataRevision(engine) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/meta/objects/:object/workflows',
    access: 'admin',
    params: { object },
    openapi: {
      operationId: 'create_workflow',
      summary: 'Add a workflow',
      description: 'Fields, objects, roles, departments, users, processes, rules, templates and cron expressions are checked (400 `metadata_invalid` naming each problem).',
      tag: METADATA,
      requestBody: jsonBody(schemaRef('WorkflowDefinition')),
      responses: { 201: jsonResponse('The workflow, with the new revision.', response) },
      errors: [404, 409, 503],
    },
    handler: async (request, reply, { engine }) => reply.status(201).send(await engine.workflows.create(actorOf(request), request.params.object, request.body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/meta/objects/:object/workflows/:name',
    access: 'admin',
    params: { object, name },
    openapi: { operationId: 'get_workflow', summary: 'Get a workflow', tag: METADATA, responses: { 200: jsonResponse('The workflow.', response) }, errors: [403, 404] },
    handler: async (request, _reply, { engine }) => ({
      ...(await engine.workflows.get(actorOf(request), request.params.object, request.params.name)),
      revision: await metadataRevision(engine),
    }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/meta/objects/:object/workflows/:name',
    access: 'admin',
    params: { object, name },
    openapi: {
      operationId: 'update_workflow',
      summary: 'Change a workflow',
      description: '`active: false` stops it (planned date-relative runs and cron ticks check it when they come due).',
      tag: METADATA,
      requestBody: jsonBody(schemaRef('WorkflowPatch')),
      responses: { 200: jsonResponse('The workflow, with the new revision.', response) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.workflows.update(actorOf(request), request.params.object, request.params.name, request.body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/meta/objects/:object/workflows/:name',
    access: 'admin',
    params: { object, name },
    openapi: {
      operationId: 'delete_workflow',
      summary: 'Delete a workflow',
      description: 'Its planned runs go with it; its run log stays.',
      tag: METADATA,
      responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.workflows.delete(actorOf(request), request.params.object, request.params.name),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/workflow-runs',
    access: 'admin',
    query: {
      workflow: query.string('Only runs of workflows with this name.', API_NAME_SCHEMA),
      record: query.string('Only runs about this record.', UUID),
      object: query.string('Only runs of this object.', API_NAME_SCHEMA),
      limit,
    },
    openapi: {
      operationId: 'list_workflow_runs',
      summary: 'Read the workflow run log',
      description: 'Runs that fired, newest first: trigger, conditions evaluated, actions and outcome. Failed runs are logged after their write rolled back.',
      tag: WORKFLOWS_TAG.name,
      responses: { 200: jsonResponse('The runs.', schemaRef('WorkflowRunList')) },
      errors: [400, 403],
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.workflowRuns.list(actorOf(request), request.query) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/notifications',
    access: 'signed-in',
    query: { unread: query.boolean('Only unread ones.', { type: 'boolean' }), limit },
    openapi: {
      operationId: 'list_notifications',
      summary: 'My notifications',
      description: 'Newest first.',
      tag: WORKFLOWS_TAG.name,
      responses: { 200: jsonResponse('The notifications.', schemaRef('NotificationList')) },
      errors: [400],
    },
    handler: async (request, _reply, { engine }) => {
      const { unread, limit: most } = request.query;
      return { data: await engine.notifications.list(actorOf(request), { ...(unread ? { unread } : {}), ...(most !== undefined ? { limit: most } : {}) }) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/notifications/:id/read',
    access: 'signed-in',
    params: { id: pathParameter('id', 'Id of the notification.', UUID) },
    openapi: {
      operationId: 'read_notification',
      summary: 'Mark a notification read',
      tag: WORKFLOWS_TAG.name,
      responses: { 200: jsonResponse('The notification.', schemaRef('Notification')) },
      errors: [404],
    },
    handler: async (request, _reply, { engine }) => engine.notifications.markRead(actorOf(request), request.params.id),
  }),
];
