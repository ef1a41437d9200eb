import { CrmError } from '../errors';
import { checkNamedDocument } from '../metadata/check-named-document';
import { i18nTextSchema } from '../metadata/i18n';
import type { JsonSchema } from '../metadata/json-schema';
import { API_NAME_PATTERN, apiNameProblem } from '../metadata/names';
import { RECORD_EVENTS, type WorkflowDefinition } from './types';

/** The JSON Schema of workflow documents (shape only; names, fields and rules are checked in check-workflow.ts). */

const apiName = { type: 'string', minLength: 1, maxLength: 63 } as const;
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const uuid = { type: 'string', pattern: UUID } as const;
export const MAX_WORKFLOW_ACTIONS = 20;
const template = { type: 'string', minLength: 1, maxLength: 20_000 } as const;

const fieldValues = {
  type: 'object',
  propertyNames: { pattern: API_NAME_PATTERN.source },
  // A value is any JSON-Logic rule (a constant is a rule too).
  additionalProperties: {},
  minProperties: 1,
  maxProperties: 100,
};

const roundRobin = {
  type: 'object',
  oneOf: [
    { properties: { role: apiName }, required: ['role'], additionalProperties: false },
    { properties: { department_id: uuid }, required: ['department_id'], additionalProperties: false },
  ],
};

const assignee = {
  type: 'object',
  oneOf: [
    { properties: { user_id: uuid }, required: ['user_id'] },
    { properties: { round_robin: roundRobin }, required: ['round_robin'] },
  ],
};

const addresses = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  items: {
    anyOf: [
      { type: 'string', minLength: 3, maxLength: 320 },
      { type: 'object', properties: { field: apiName }, required: ['field'], additionalProperties: false },
    ],
  },
};

const name = apiName;

const actionSchema = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type'],
  oneOf: [
    {
      properties: { type: { const: 'update_record' }, name, target: apiName, values: fieldValues },
      required: ['type', 'values'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'create_record' }, name, object: apiName, values: fieldValues },
      required: ['type', 'object', 'values'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'assign_owner' },
        name,
        user_id: uuid,
        round_robin: roundRobin,
        rules: {
          type: 'array',
          minItems: 1,
          maxItems: 50,
          items: {
            type: 'object',
            properties: { when: {}, user_id: uuid, round_robin: roundRobin },
            required: ['when'],
            additionalProperties: false,
            oneOf: [{ required: ['user_id'] }, { required: ['round_robin'] }],
          },
        },
        otherwise: { ...assignee, properties: { user_id: uuid, round_robin: roundRobin }, additionalProperties: false },
      },
      required: ['type'],
      additionalProperties: false,
      oneOf: [{ required: ['user_id'] }, { required: ['round_robin'] }, { required: ['rules'] }],
    },
    {
      properties: { type: { const: 'add_share' }, name, user_id: uuid, department_id: uuid, field: apiName, access: { enum: ['read', 'edit'] } },
      required: ['type', 'access'],
      additionalProperties: false,
      oneOf: [{ required: ['user_id'] }, { required: ['department_id'] }, { required: ['field'] }],
    },
    {
      properties: {
        type: { const: 'notify' },
        name,
        recipients: {
          type: 'array',
          minItems: 1,
          maxItems: 20,
          items: {
            type: 'object',
            oneOf: [
              { properties: { user_id: uuid }, required: ['user_id'], additionalProperties: false },
              { properties: { field: apiName }, required: ['field'], additionalProperties: false },
              { properties: { role: apiName }, required: ['role'], additionalProperties: false },
            ],
          },
        },
        title: { type: 'string', minLength: 1, maxLength: 500 },
        body: template,
      },
      required: ['type', 'recipients', 'title'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'send_email' }, name, to: addresses, cc: addresses, subject: { type: 'string', minLength: 1, maxLength: 1000 }, text: template, html: template },
      required: ['type', 'to', 'subject'],
      additionalProperties: false,
      anyOf: [{ required: ['text'] }, { required: ['html'] }],
    },
    {
      properties: { type: { const: 'webhook' }, name, url: { type: 'string', minLength: 8, maxLength: 2000 }, body: fieldValues },
      required: ['type', 'url'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'submit_for_approval' }, name, process: apiName, comment: { type: 'string', maxLength: 4000 } },
      required: ['type'],
      additionalProperties: false,
    },
  ],
};

const triggerSchema = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type'],
  oneOf: [
    {
      properties: {
        type: { const: 'record' },
        events: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...RECORD_EVENTS] } },
        fields: { type: 'array', minItems: 1, maxItems: 50, items: apiName },
        condition: {},
        becomes_true: { type: 'boolean' },
      },
      required: ['type', 'events'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'date' },
        field: apiName,
        offset: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000 },
        unit: { enum: ['minutes', 'hours', 'days'] },
        condition: {},
      },
      required: ['type', 'field'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'schedule' },
        cron: { type: 'string', minLength: 9, maxLength: 200 },
        timezone: { type: 'string', minLength: 1, maxLength: 64 },
        filter: {},
        older_than: {
          type: 'object',
          properties: { field: apiName, days: { type: 'number', exclusiveMinimum: 0, maximum: 36_500 } },
          required: ['field', 'days'],
          additionalProperties: false,
        },
      },
      required: ['type', 'cron'],
      additionalProperties: false,
    },
  ],
};

export const workflowSchema: JsonSchema = {
  type: 'object',
  properties: {
    name: apiName,
    label: i18nTextSchema,
    description: { type: 'string', maxLength: 2000 },
    active: { type: 'boolean' },
    trigger: triggerSchema,
    actions: { type: 'array', minItems: 1, maxItems: MAX_WORKFLOW_ACTIONS, items: actionSchema },
  },
  required: ['name', 'trigger', 'actions'],
  additionalProperties: false,
};

/** Checks a workflow document's shape and API names; returns a typed copy, or throws metadata_invalid / invalid_api_name. */
export function checkWorkflowDocument(document: unknown): WorkflowDefinition {
  checkNamedDocument(document, 'workflow', workflowSchema);
  const copy = structuredClone(document) as WorkflowDefinition;
  const issues = copy.actions.flatMap((action, i) => {
    const actionProblem = action.name === undefined ? undefined : apiNameProblem(action.name, 'view');
    return actionProblem ? [{ path: `actions/${i}/name`, code: 'invalid' as const, params: { reason: actionProblem } }] : [];
  });
  const names = copy.actions.map((a) => a.name).filter((n) => n !== undefined);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) issues.push({ path: 'actions', code: 'invalid', params: { reason: `two actions are named "${n}"` } });
  });
  if (issues.length) throw new CrmError('metadata_invalid', { kind: 'workflow' }, issues);
  return lowerCaseIds(copy);
}

/** User and department ids are stored and compared in canonical lower case, like every uuid. */
function lowerCaseIds(definition: WorkflowDefinition): WorkflowDefinition {
  const lower = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(lower);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, (key === 'user_id' || key === 'department_id') && typeof item === 'string' ? item.toLowerCase() : key === 'values' || key === 'body' || key === 'when' ? item : lower(item)]),
    );
  };
  return { ...definition, actions: lower(definition.actions) as WorkflowDefinition['actions'] };
}
