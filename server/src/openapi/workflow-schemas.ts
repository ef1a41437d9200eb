import { workflowSchema } from '@crm/engine';
import { ruleDocumentSchema } from './rule-document-schema';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';
import type { Viewer } from './viewer';

/** The shapes of workflow documents, the run log and notifications (workflows/routes.ts). */

export const UUID = { type: 'string', format: 'uuid' } as const;
const TIME = { type: 'string', format: 'date-time' } as const;
const NULLABLE_TIME = { type: ['string', 'null'], format: 'date-time' } as const;
export const WORKFLOW_LIST_MAX_LIMIT = 500;

function workflowDocumentSchema(): SchemaObject {
  return ruleDocumentSchema(workflowSchema, 'Workflow');
}

function schemas(admin: boolean): Record<string, SchemaObject> {
  const revision = { type: 'integer', minimum: 0, description: 'The metadata revision after the change (or at the read).' };
  const notification: SchemaObject = {
    type: 'object',
    properties: {
      id: UUID,
      title: { type: 'string', description: "In the caller's language (Accept-Language): values written as the UI shows them (grouped numbers, money with its currency, dates, option labels, names)." },
      body: { type: ['string', 'null'], description: "In the caller's language, like `title`." },
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
    NotificationsMarked: { type: 'object', properties: { marked: { type: 'integer', minimum: 0, description: 'How many were unread.' } }, required: ['marked'], additionalProperties: false },
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

export const WORKFLOWS_TAG = { name: 'workflows', description: 'Workflow run log and in-app notifications' } as const;

/** The workflow documents' shapes are described to administrators only (the only ones who may use them). */
export function workflowComponents(viewer: Viewer): DocumentPart {
  return { paths: {}, tags: [WORKFLOWS_TAG], schemas: schemas(viewer.administration) };
}
