import { fieldAssignmentsSchema } from '../assignments';
import { CrmError } from '../errors';
import { checkNamedDocument } from '../metadata/check-named-document';
import { i18nTextSchema } from '../metadata/i18n';
import type { JsonSchema } from '../metadata/json-schema';
import { apiNameProblem } from '../metadata/names';
import type { ApprovalProcessDefinition } from './types';

/** The JSON Schema of approval process documents (shape only; names and rules are checked in check-process.ts). */

const apiName = { type: 'string', minLength: 1, maxLength: 63 } as const;
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const MAX_APPROVAL_STEPS = 20;
export const MAX_MANAGER_LEVELS = 5;

const approver = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type'],
  oneOf: [
    {
      properties: { type: { const: 'user' }, user_id: { type: 'string', pattern: UUID } },
      required: ['type', 'user_id'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'role' }, role: apiName },
      required: ['type', 'role'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'manager' }, levels: { type: 'integer', minimum: 1, maximum: MAX_MANAGER_LEVELS } },
      required: ['type'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'field' }, field: apiName },
      required: ['type', 'field'],
      additionalProperties: false,
    },
  ],
};

export const approvalProcessSchema: JsonSchema = {
  type: 'object',
  properties: {
    name: apiName,
    label: i18nTextSchema,
    description: { type: 'string', maxLength: 2000 },
    active: { type: 'boolean' },
    entry_criteria: {},
    steps: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_APPROVAL_STEPS,
      items: {
        type: 'object',
        properties: {
          name: apiName,
          label: i18nTextSchema,
          criteria: {},
          approvers: { type: 'array', items: approver, minItems: 1, maxItems: 20 },
          mode: { enum: ['any', 'all'] },
          require_comment_on_reject: { type: 'boolean' },
        },
        required: ['name', 'approvers', 'mode'],
        additionalProperties: false,
      },
    },
    on_approve: fieldAssignmentsSchema,
    on_reject: fieldAssignmentsSchema,
    on_recall: fieldAssignmentsSchema,
  },
  required: ['name', 'label', 'entry_criteria', 'steps'],
  additionalProperties: false,
};

/** Checks a process document's shape and API names; returns a copy, typed, or throws metadata_invalid / invalid_api_name. */
export function checkApprovalProcessDocument(document: unknown): ApprovalProcessDefinition {
  checkNamedDocument(document, 'approval process', approvalProcessSchema);
  const steps = (document as { steps: { name: string }[] }).steps;
  steps.forEach((step, i) => {
    const stepProblem = apiNameProblem(step.name, 'view');
    if (stepProblem) throw new CrmError('metadata_invalid', { kind: 'approval process' }, [{ path: `steps/${i}/name`, code: 'invalid', params: { reason: stepProblem } }]);
  });
  const copy = structuredClone(document) as ApprovalProcessDefinition;
  // User ids are stored and compared in canonical lower case, like every uuid.
  return {
    ...copy,
    // Active unless said otherwise, like workflows and validation rules.
    active: copy.active ?? true,
    steps: copy.steps.map((step) => ({ ...step, approvers: step.approvers.map((a) => (a.type === 'user' ? { ...a, user_id: a.user_id.toLowerCase() } : a)) })),
  };
}
