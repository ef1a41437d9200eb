import { workflowSchema } from '@crm/engine';
import { definedPaths, jsonBody, jsonResponse, operation, pathItem, pathParameter, queryParameter } from './operations';
import { ruleDocumentSchema } from './rule-document-schema';
import { schemaRef, type DocumentPart, type PathItemObject, type SchemaObject } from './types';
import type { Viewer } from './viewer';

/**
 * Workflows: their documents under the metadata API and the run log (administrators only, like
 * their engine services), and each user's in-app notifications (everyone signed in).
 */

const API_NAME = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const UUID = { type: 'string', format: 'uuid' } as const;
const TIME = { type: 'string', format: 'date-time' } as const;
const NULLABLE_TIME = { type: ['string', 'null'], format: 'date-time' } as const;
const MAX_LIMIT = 500;

function workflowDocumentSchema(): SchemaObject {
  return ruleDocumentSchema(workflowSchema, 'Workflow');
}

function schemas(admin: boolean): Record<string, SchemaObject> {
  const revision = { type: 'integer', minimum: 0, description: 'The metadata revision after the change (or at the read).' };
  const notification: SchemaObject = {
    type: 'object',
    properties: {
      id: UUID,
      title: { type: 'string' },
      body: { type: ['string', 'null'] },
      object: { type: ['string', 'null'], description: 'The object of the record it is about (with `record_id`, a link).' },
      record_id: { type: ['string', 'null'], format: 'uuid' },
      workflow: { type: ['string', 'null'], description: 'The workflow that posted it.' },
      created_at: TIME,
      read_at: { ...NULLABLE_TIME, description: 'When it was first marked read (null: unread).' },
    },
    required: ['id', 'title', 'body', 'object', 'record_id', 'workflow', 'created_at', 'read_at'],
  };
  const common: Record<string, SchemaObject> = {
    Notification: notification,
    NotificationList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('Notification') } }, required: ['data'] },
  };
  if (!admin) return common;
  return {
    ...common,
    WorkflowDefinition: workflowDocumentSchema(),
    WorkflowResponse: { allOf: [schemaRef('WorkflowDefinition'), { type: 'object', properties: { revision }, required: ['revision'] }] },
    WorkflowList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('WorkflowDefinition') }, revision }, required: ['data', 'revision'] },
    WorkflowPatch: {
      type: 'object',
      description: 'A JSON merge patch (RFC 7396) of a WorkflowDefinition: properties given replace the stored ones (arrays whole), null removes one.',
      additionalProperties: true,
    },
    WorkflowRun: {
      type: 'object',
      description: 'One run of a workflow that fired: what decided it, each action with its outcome, and how it ended.',
      properties: {
        id: UUID,
        object: { type: ['string', 'null'] },
        workflow: { type: 'string' },
        record_id: { type: ['string', 'null'], format: 'uuid' },
        trigger: { type: 'string', enum: ['created', 'updated', 'deleted', 'restored', 'date', 'schedule'] },
        actor_id: { ...UUID, description: 'Who caused the run (the system for scheduled runs).' },
        depth: { type: 'integer', minimum: 0, description: 'How many workflow levels deep the triggering write was.' },
        conditions: { type: 'object', description: 'The event, changed fields, the condition (and whether it was false before), the due time or tick.' },
        actions: {
          type: 'array',
          items: {
            type: 'object',
            properties: { action: { type: 'string' }, type: { type: 'string' }, outcome: { type: 'string', enum: ['done', 'skipped', 'failed'] }, detail: { type: 'object' } },
            required: ['action', 'type', 'outcome'],
          },
        },
        outcome: { type: 'string', enum: ['completed', 'failed'] },
        error: { description: 'The error of a failed run (code, params, fields); null otherwise.' },
        started_at: TIME,
        finished_at: TIME,
      },
      required: ['id', 'object', 'workflow', 'record_id', 'trigger', 'actor_id', 'depth', 'conditions', 'actions', 'outcome', 'error', 'started_at', 'finished_at'],
    },
    WorkflowRunList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('WorkflowRun') } }, required: ['data'] },
  };
}

function adminPaths(): Record<string, PathItemObject | undefined> {
  const objectParameter = pathParameter('object', 'API name of the object.', API_NAME);
  const nameParameter = pathParameter('name', 'API name of the workflow.', API_NAME);
  const response = schemaRef('WorkflowResponse');
  return {
    '/api/meta/objects/{object}/workflows': pathItem(
      {
        get: operation({
          operationId: 'list_workflows',
          summary: "List an object's workflows",
          tag: 'metadata',
          access: 'read',
          responses: { 200: jsonResponse('The workflows, in name order.', schemaRef('WorkflowList')) },
          errors: [403, 404],
        }),
        post: operation({
          operationId: 'create_workflow',
          summary: 'Add a workflow',
          description: 'Fields, objects, roles, departments, users, processes, rules, templates and cron expressions are checked (400 `metadata_invalid` naming each problem).',
          tag: 'metadata',
          access: 'write',
          requestBody: jsonBody(schemaRef('WorkflowDefinition')),
          responses: { 201: jsonResponse('The workflow, with the new revision.', response) },
          errors: [404, 409, 503],
        }),
      },
      [objectParameter],
    ),
    '/api/meta/objects/{object}/workflows/{name}': pathItem(
      {
        get: operation({ operationId: 'get_workflow', summary: 'Get a workflow', tag: 'metadata', access: 'read', responses: { 200: jsonResponse('The workflow.', response) }, errors: [403, 404] }),
        patch: operation({
          operationId: 'update_workflow',
          summary: 'Change a workflow',
          description: '`active: false` stops it (planned date-relative runs and cron ticks check it when they come due).',
          tag: 'metadata',
          access: 'write',
          requestBody: jsonBody(schemaRef('WorkflowPatch')),
          responses: { 200: jsonResponse('The workflow, with the new revision.', response) },
          errors: [404, 409, 503],
        }),
        delete: operation({
          operationId: 'delete_workflow',
          summary: 'Delete a workflow',
          description: 'Its planned runs go with it; its run log stays.',
          tag: 'metadata',
          access: 'write',
          responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
          errors: [404, 409, 503],
        }),
      },
      [objectParameter, nameParameter],
    ),
    '/api/workflow-runs': pathItem({
      get: operation({
        operationId: 'list_workflow_runs',
        summary: 'Read the workflow run log',
        description: 'Runs that fired, newest first: trigger, conditions evaluated, actions and outcome. Failed runs are logged after their write rolled back.',
        tag: 'workflows',
        access: 'read',
        parameters: [
          queryParameter('workflow', 'Only runs of workflows with this name.', API_NAME),
          queryParameter('record', 'Only runs about this record.', UUID),
          queryParameter('object', 'Only runs of this object.', API_NAME),
          queryParameter('limit', `At most this many (1-${MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 }),
        ],
        responses: { 200: jsonResponse('The runs.', schemaRef('WorkflowRunList')) },
        errors: [400, 403],
      }),
    }),
  };
}

function notificationPaths(): Record<string, PathItemObject | undefined> {
  return {
    '/api/notifications': pathItem({
      get: operation({
        operationId: 'list_notifications',
        summary: 'My notifications',
        description: 'Newest first.',
        tag: 'workflows',
        access: 'read',
        parameters: [
          queryParameter('unread', 'Only unread ones.', { type: 'boolean' }),
          queryParameter('limit', `At most this many (1-${MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 }),
        ],
        responses: { 200: jsonResponse('The notifications.', schemaRef('NotificationList')) },
        errors: [400],
      }),
    }),
    '/api/notifications/{id}/read': pathItem(
      {
        post: operation({
          operationId: 'read_notification',
          summary: 'Mark a notification read',
          tag: 'workflows',
          access: 'write',
          responses: { 200: jsonResponse('The notification.', schemaRef('Notification')) },
          errors: [404],
        }),
      },
      [pathParameter('id', 'Id of the notification.', UUID)],
    ),
  };
}

export function workflowPaths(viewer: Viewer): DocumentPart {
  return {
    tags: [{ name: 'workflows', description: 'Workflow run log and in-app notifications' }],
    schemas: schemas(viewer.administration),
    paths: definedPaths({ ...(viewer.administration ? adminPaths() : {}), ...notificationPaths() }),
  };
}
