import { CrmError } from '../errors';
import { checkNamedDocument } from '../metadata/check-named-document';
import { i18nTextSchema } from '../metadata/i18n';
import type { JsonSchema } from '../metadata/json-schema';
import { apiNameProblem } from '../metadata/names';
import { actionSchema } from './actions/registry';
import { apiName } from './actions/schema-parts';
import { RECORD_EVENTS, type WorkflowDefinition } from './types';
import { reason } from '../errors';

/** The JSON Schema of workflow documents (shape only; names, fields and rules are checked in check-workflow.ts). */

export const MAX_WORKFLOW_ACTIONS = 20;

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
    if (names.indexOf(n) !== i) issues.push({ path: 'actions', code: 'invalid', params: { reason: reason('actions_same_name', { name: n }) } });
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
