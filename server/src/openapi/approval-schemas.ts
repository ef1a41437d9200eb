import { approvalProcessSchema } from '@crm/engine';
import { API_NAME_SCHEMA as API_NAME } from './operations';
import { ruleDocumentSchema } from './rule-document-schema';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/** The shapes of approval processes, requests and decisions (approvals/routes.ts). */

const TIME = { type: 'string', format: 'date-time' } as const;
const USER_ID = { type: 'string', format: 'uuid' } as const;
const NULLABLE_TIME = { type: ['string', 'null'], format: 'date-time' } as const;
const NULLABLE_TEXT = { type: ['string', 'null'] } as const;
const REQUEST_STATUS = { type: 'string', enum: ['pending', 'approved', 'rejected', 'recalled'] } as const;

/**
 * One of the inbox's lists (waiting on me, submitted by me, decided by me): at most 500 entries,
 * each the request's heading (its record, its process, who submitted it) and what the list adds.
 */
function requestList(properties: Record<string, SchemaObject>, required: readonly string[]): SchemaObject {
  const heading: Record<string, SchemaObject> = {
    request_id: USER_ID,
    object: { type: 'string' },
    record_id: USER_ID,
    title: { type: ['string', 'null'], description: "The record's title (null when its object has none, or the title field is hidden from you)." },
    process: { type: 'string' },
    process_label: schemaRef('I18nText'),
    submitted_by: { type: 'object', properties: { id: USER_ID, name: { type: 'string' } }, required: ['id', 'name'] },
    submitted_at: TIME,
    comment: { ...NULLABLE_TEXT, description: "The submitter's comment." },
  };
  const entry = { type: 'object', properties: { ...heading, ...properties }, required: [...Object.keys(heading), ...required] };
  return { type: 'object', properties: { data: { type: 'array', maxItems: 500, items: entry } }, required: ['data'] };
}

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
    ApprovalInbox: requestList(
      {
        task_id: USER_ID,
        step: { type: 'string' },
        step_label: { anyOf: [schemaRef('I18nText'), { type: 'null' }] },
        mode: { type: 'string', enum: ['any', 'all'] },
        reject_needs_comment: { type: 'boolean', description: 'A rejection on this step must give a comment.' },
        waiting_since: TIME,
      },
      ['task_id', 'step', 'step_label', 'mode', 'reject_needs_comment', 'waiting_since'],
    ),
    ApprovalSummaryList: requestList(
      {
        status: REQUEST_STATUS,
        current_step: { type: ['string', 'null'], description: 'The step waiting for a decision (null once decided).' },
        current_step_label: { anyOf: [schemaRef('I18nText'), { type: 'null' }] },
        decided_at: NULLABLE_TIME,
        decision: {
          description: 'Your own decision (in the list of decisions; null in the list of submissions).',
          anyOf: [
            {
              type: 'object',
              properties: { task_id: USER_ID, step: { type: 'string' }, outcome: { type: 'string', enum: ['approved', 'rejected'] }, comment: NULLABLE_TEXT, at: TIME },
              required: ['task_id', 'step', 'outcome', 'comment', 'at'],
            },
            { type: 'null' },
          ],
        },
      },
      ['status', 'current_step', 'current_step_label', 'decided_at', 'decision'],
    ),
  };
}

export const APPROVALS_TAG = { name: 'approvals', description: 'Approval inbox and decisions' } as const;

export function approvalComponents(): DocumentPart {
  return { paths: {}, tags: [APPROVALS_TAG], schemas: schemas() };
}
