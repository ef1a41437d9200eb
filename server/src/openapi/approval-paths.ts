import { approvalProcessSchema, type CompiledMetadata } from '@crm/engine';
import { describedObjects, type DescribedObject } from './described-object';
import { definedPaths, jsonBody, jsonResponse, operation, pathItem, pathParameter } from './operations';
import { parameterRef } from './record-parameters';
import { ruleDocumentSchema } from './rule-document-schema';
import { schemaRef, type DocumentPart, type PathItemObject, type SchemaObject } from './types';
import type { Viewer } from './viewer';

/**
 * Approvals: process documents under the metadata API (administrators only, like their engine
 * service), submitting a record and reading its approval history (per object, where the viewer
 * may edit or read it and the object has approval processes), and the approver's inbox and
 * decisions (everyone signed in: the engine answers 404 for requests that are none of theirs).
 */

const TAG = 'approvals';
const API_NAME = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const TIME = { type: 'string', format: 'date-time' } as const;
const USER_ID = { type: 'string', format: 'uuid' } as const;
const NULLABLE_TIME = { type: ['string', 'null'], format: 'date-time' } as const;
const NULLABLE_TEXT = { type: ['string', 'null'] } as const;
const REQUEST_STATUS = { type: 'string', enum: ['pending', 'approved', 'rejected', 'recalled'] } as const;

function processDocumentSchema(): SchemaObject {
  return ruleDocumentSchema(approvalProcessSchema, 'Approval process');
}

function schemas(): Record<string, SchemaObject> {
  const revision = { type: 'integer', minimum: 0, description: 'The metadata revision after the change (or at the read).' };
  return {
    ApprovalProcessDefinition: processDocumentSchema(),
    ApprovalProcessResponse: { allOf: [schemaRef('ApprovalProcessDefinition'), { type: 'object', properties: { revision }, required: ['revision'] }] },
    ApprovalProcessList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('ApprovalProcessDefinition') }, revision }, required: ['data', 'revision'] },
    ApprovalProcessPatch: {
      type: 'object',
      description: 'A JSON merge patch (RFC 7396) of an ApprovalProcessDefinition: properties given replace the stored ones (arrays whole), null removes one.',
      additionalProperties: true,
    },
    ApprovalSubmitRequest: {
      type: 'object',
      properties: {
        process: { ...API_NAME, description: 'The process to use; without it, the first active process whose entry criteria the record meets.' },
        comment: { type: 'string', maxLength: 4000 },
      },
      additionalProperties: false,
    },
    ApprovalDecisionRequest: {
      type: 'object',
      properties: {
        comment: { type: 'string', maxLength: 4000, description: 'Required to reject at a step with `require_comment_on_reject` (400 naming `comment` otherwise).' },
        step: {
          type: 'string',
          description: 'The step you are deciding, as your inbox showed it: if the request has moved on to another step meanwhile, 409 `approval_already_decided` instead of a decision on a step you have not seen.',
        },
      },
      additionalProperties: false,
    },
    ApprovalRecallRequest: {
      type: 'object',
      properties: { comment: { type: 'string', maxLength: 4000 } },
      additionalProperties: false,
    },
    ApprovalReassignRequest: {
      type: 'object',
      properties: {
        to_user_id: { ...USER_ID, description: 'The active user who takes the task over.' },
        from_user_id: { ...USER_ID, description: 'Whose open task to hand over: yours by default; administrators name it when several approvers are waiting.' },
        comment: { type: 'string', maxLength: 4000 },
      },
      required: ['to_user_id'],
      additionalProperties: false,
    },
    ApprovalRequest: {
      type: 'object',
      description: 'An approval request with its steps (each approver\'s task) and every action, oldest first.',
      properties: {
        id: USER_ID,
        object: { type: 'string' },
        record_id: USER_ID,
        process: { type: 'string' },
        process_label: schemaRef('I18nText'),
        status: REQUEST_STATUS,
        current_step: { type: ['string', 'null'], description: 'The step waiting for a decision (null once decided).' },
        submitted_by: USER_ID,
        submitted_at: TIME,
        comment: NULLABLE_TEXT,
        decided_at: NULLABLE_TIME,
        steps: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              label: { anyOf: [schemaRef('I18nText'), { type: 'null' }] },
              mode: { type: 'string', enum: ['any', 'all'] },
              status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'skipped', 'cancelled'] },
              started_at: TIME,
              decided_at: NULLABLE_TIME,
              approvers: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    user_id: USER_ID,
                    status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'reassigned', 'cancelled'] },
                    comment: NULLABLE_TEXT,
                    decided_at: NULLABLE_TIME,
                  },
                  required: ['user_id', 'status', 'comment', 'decided_at'],
                },
              },
            },
            required: ['name', 'label', 'mode', 'status', 'started_at', 'decided_at', 'approvers'],
          },
        },
        actions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              action: { type: 'string', enum: ['submitted', 'approved', 'rejected', 'recalled', 'reassigned', 'skipped'] },
              step: { type: ['string', 'null'] },
              actor_id: USER_ID,
              to_user_id: { type: ['string', 'null'], format: 'uuid' },
              comment: NULLABLE_TEXT,
              at: TIME,
            },
            required: ['action', 'step', 'actor_id', 'to_user_id', 'comment', 'at'],
          },
        },
      },
      required: ['id', 'object', 'record_id', 'process', 'process_label', 'status', 'current_step', 'submitted_by', 'submitted_at', 'comment', 'decided_at', 'steps', 'actions'],
    },
    ApprovalRequestList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('ApprovalRequest') } }, required: ['data'] },
    ApprovalInbox: {
      type: 'object',
      properties: {
        data: {
          type: 'array',
          maxItems: 500,
          items: {
            type: 'object',
            properties: {
              task_id: USER_ID,
              request_id: USER_ID,
              object: { type: 'string' },
              record_id: USER_ID,
              title: { type: ['string', 'null'], description: "The record's title (null when its object has none, or the title field is hidden from you)." },
              process: { type: 'string' },
              process_label: schemaRef('I18nText'),
              step: { type: 'string' },
              step_label: { anyOf: [schemaRef('I18nText'), { type: 'null' }] },
              mode: { type: 'string', enum: ['any', 'all'] },
              submitted_by: { type: 'object', properties: { id: USER_ID, name: { type: 'string' } }, required: ['id', 'name'] },
              submitted_at: TIME,
              comment: NULLABLE_TEXT,
              waiting_since: TIME,
            },
            required: ['task_id', 'request_id', 'object', 'record_id', 'title', 'process', 'process_label', 'step', 'step_label', 'mode', 'submitted_by', 'submitted_at', 'comment', 'waiting_since'],
          },
        },
      },
      required: ['data'],
    },
  };
}

function processPaths(admin: boolean): Record<string, PathItemObject | undefined> {
  const objectParameter = pathParameter('object', 'API name of the object.', API_NAME);
  const nameParameter = pathParameter('name', 'API name of the approval process.', API_NAME);
  const response = schemaRef('ApprovalProcessResponse');
  return {
    '/api/meta/objects/{object}/approval-processes': pathItem(
      {
        get:
          admin &&
          operation({
            operationId: 'list_approval_processes',
            summary: "List an object's approval processes",
            tag: 'metadata',
            access: 'read',
            responses: { 200: jsonResponse('The processes, in creation order.', schemaRef('ApprovalProcessList')) },
            errors: [403, 404],
          }),
        post:
          admin &&
          operation({
            operationId: 'create_approval_process',
            summary: 'Add an approval process',
            description: 'Criteria and field updates are checked against the fields, approvers against roles, user fields and active users (400 `metadata_invalid` naming each problem).',
            tag: 'metadata',
            access: 'write',
            requestBody: jsonBody(schemaRef('ApprovalProcessDefinition')),
            responses: { 201: jsonResponse('The process, with the new revision.', response) },
            errors: [404, 409, 503],
          }),
      },
      [objectParameter],
    ),
    '/api/meta/objects/{object}/approval-processes/{name}': pathItem(
      {
        get:
          admin &&
          operation({
            operationId: 'get_approval_process',
            summary: 'Get an approval process',
            tag: 'metadata',
            access: 'read',
            responses: { 200: jsonResponse('The process.', response) },
            errors: [403, 404],
          }),
        patch:
          admin &&
          operation({
            operationId: 'update_approval_process',
            summary: 'Change an approval process',
            description: 'Requests already running keep the process they were submitted with. `active: false` stops new submissions.',
            tag: 'metadata',
            access: 'write',
            requestBody: jsonBody(schemaRef('ApprovalProcessPatch')),
            responses: { 200: jsonResponse('The process, with the new revision.', response) },
            errors: [404, 409, 503],
          }),
        delete:
          admin &&
          operation({
            operationId: 'delete_approval_process',
            summary: 'Delete an approval process',
            description: 'Refused while requests of the process are pending (409 `dependency_exists`): recall or decide them, or deactivate the process.',
            tag: 'metadata',
            access: 'write',
            responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
            errors: [404, 409, 503],
          }),
      },
      [objectParameter, nameParameter],
    ),
  };
}

function recordApprovalPaths(described: DescribedObject): Record<string, PathItemObject | undefined> {
  const { object, may, label } = described;
  const base = `/api/records/${object.name}/{id}`;
  const processes = [...object.approvalProcesses.values()];
  if (processes.length === 0) return {};
  const active = processes.filter((p) => p.active).map((p) => `\`${p.name}\``);
  return {
    [`${base}/submit`]: pathItem(
      {
        post:
          may.edit &&
          active.length > 0 &&
          operation({
            operationId: `submit_${object.name}_for_approval`,
            summary: `Submit ${label} for approval`,
            description: `Active processes: ${active.join(', ')}. You must be able to edit the record. While the request is pending the record is locked: updates and deletes are refused (409 \`record_locked\`) except for administrators. 422 \`approval_criteria_not_met\` / \`approval_not_applicable\` when no process accepts the record, \`approval_no_approver\` when a step that applies has nobody to act on it; 409 \`approval_pending\` when a request is already pending.`,
            tag: object.name,
            access: 'write',
            requestBody: jsonBody(schemaRef('ApprovalSubmitRequest')),
            responses: { 201: jsonResponse('The request, its first step started.', schemaRef('ApprovalRequest')) },
            errors: [404, 409, 422, 503],
          }),
      },
      [parameterRef('RecordId')],
    ),
    [`${base}/approvals`]: pathItem(
      {
        get:
          may.read &&
          operation({
            operationId: `list_${object.name}_approvals`,
            summary: `Approval history of ${label}`,
            description: 'Every request of the record, newest first, with steps, approvers and actions (who, when, comment). 404 for a record you cannot read.',
            tag: object.name,
            access: 'read',
            responses: { 200: jsonResponse('The requests.', schemaRef('ApprovalRequestList')) },
            errors: [403, 404],
          }),
      },
      [parameterRef('RecordId')],
    ),
  };
}

function decisionPaths(): Record<string, PathItemObject | undefined> {
  const id = [pathParameter('id', 'Approval request id.', { type: 'string', format: 'uuid' })];
  const decision = (action: 'approve' | 'reject' | 'recall' | 'reassign', summary: string, description: string, body: string) =>
    pathItem(
      {
        post: operation({
          operationId: `${action}_approval_request`,
          summary,
          description,
          tag: TAG,
          access: 'write',
          requestBody: jsonBody(schemaRef(body)),
          responses: { 200: jsonResponse('The request after the action.', schemaRef('ApprovalRequest')) },
          errors: [404, 409, 422, 503],
        }),
      },
      id,
    );
  return {
    '/api/approvals/inbox': pathItem({
      get: operation({
        operationId: 'approval_inbox',
        summary: 'Tasks waiting on me',
        description: "Open approval tasks of the caller, oldest first (at most 500), with each record's title.",
        tag: TAG,
        access: 'read',
        responses: { 200: jsonResponse('The open tasks.', schemaRef('ApprovalInbox')) },
      }),
    }),
    '/api/approvals/{id}/approve': decision(
      'approve',
      'Approve',
      'Your open task on the current step. An `any` step completes with the first approval, an `all` step once every approver approved; the last step approves the request and applies its `on_approve` field updates. 409 `approval_already_decided` when someone else decided first.',
      'ApprovalDecisionRequest',
    ),
    '/api/approvals/{id}/reject': decision('reject', 'Reject', 'Rejects the whole request and applies its `on_reject` field updates.', 'ApprovalDecisionRequest'),
    '/api/approvals/{id}/recall': decision('recall', 'Recall', 'The submitter (or an administrator) withdraws a pending request; `on_recall` field updates apply.', 'ApprovalRecallRequest'),
    '/api/approvals/{id}/reassign': decision('reassign', 'Reassign a task', 'An approver hands their open task to someone else; an administrator any task.', 'ApprovalReassignRequest'),
  };
}

export function approvalPaths(metadata: CompiledMetadata, viewer: Viewer): DocumentPart {
  const objects = describedObjects(metadata, viewer);
  return {
    tags: [{ name: TAG, description: 'Approval inbox and decisions' }],
    schemas: schemas(),
    paths: definedPaths(
      Object.assign({}, processPaths(viewer.administration), decisionPaths(), ...objects.map(recordApprovalPaths)) as Record<string, PathItemObject | undefined>,
    ),
  };
}
