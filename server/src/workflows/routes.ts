import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { objectDocumentRoutes, plainDocumentService } from '../metadata/document-routes';
import { API_NAME_SCHEMA, jsonResponse, pathParameter } from '../openapi/operations';
import { schemaRef } from '../openapi/types';
import { UUID, WORKFLOW_LIST_MAX_LIMIT, WORKFLOWS_TAG } from '../openapi/workflow-schemas';

/**
 * Workflows over HTTP, thin wrappers around the engine: workflow documents under the metadata
 * API (/api/meta/objects/:object/workflows, administrators only, like approval processes), the
 * run log (/api/workflow-runs, administrators only) and each user's in-app notifications
 * (/api/notifications, marked read one by one or all at once). The engine decides who may do what.
 */

const limit = query.integer(`At most this many (1-${WORKFLOW_LIST_MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: WORKFLOW_LIST_MAX_LIMIT, default: 50 });

export const workflowRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  ...objectDocumentRoutes({
    segment: 'workflows',
    plural: 'workflows',
    singular: 'workflow',
    parameter: 'name',
    document: 'WorkflowDefinition',
    schemaStem: 'Workflow',
    service: (engine) => plainDocumentService(engine.workflows),
    readAccess: 'admin',
    readErrors: [403, 404],
    notes: {
      list: 'The workflows, in name order.',
      create: 'Fields, objects, roles, departments, users, processes, rules, templates and cron expressions are checked (400 `metadata_invalid` naming each problem).',
      update: '`active: false` stops it (planned date-relative runs and cron ticks check it when they come due).',
      delete: 'Its planned runs go with it; its run log stays.',
    },
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
      return { data: await engine.notifications.list(actorOf(request), { ...(unread ? { unread } : {}), ...(most !== undefined ? { limit: most } : {}) }, request.locale) };
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
    handler: async (request, _reply, { engine }) => engine.notifications.markRead(actorOf(request), request.params.id, request.locale),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/notifications/read-all',
    access: 'signed-in',
    openapi: {
      operationId: 'read_all_notifications',
      summary: 'Mark all my notifications read',
      description: 'Every unread notification of the caller, in one statement (others\' are untouched).',
      tag: WORKFLOWS_TAG.name,
      responses: { 200: jsonResponse('How many were marked.', schemaRef('NotificationsMarked')) },
    },
    handler: async (request, _reply, { engine }) => engine.notifications.markAllRead(actorOf(request)),
  }),
];
