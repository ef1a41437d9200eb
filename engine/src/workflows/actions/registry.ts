import type { JsonSchema } from '../../metadata/json-schema';
import type { WorkflowActionType } from '../types';
import type { ActionOf, ActionType } from './action-type';
import { addShareAction } from './add-share';
import { assignOwnerAction } from './assign-owner';
import { createRecordAction } from './create-record';
import { notifyAction } from './notify';
import { sendEmailAction } from './send-email';
import { submitForApprovalAction } from './submit-for-approval';
import { updateRecordAction } from './update-record';
import { webhookAction } from './webhook';

/**
 * Every workflow action type, one module each (like field-types/registry.ts): the only place
 * that tells action types apart. A new action is a file here and a line in this list (and its
 * member of WorkflowAction in types.ts).
 */
const ACTION_TYPES: { readonly [T in WorkflowActionType]: ActionType<T> } = {
  update_record: updateRecordAction,
  create_record: createRecordAction,
  assign_owner: assignOwnerAction,
  add_share: addShareAction,
  notify: notifyAction,
  send_email: sendEmailAction,
  webhook: webhookAction,
  submit_for_approval: submitForApprovalAction,
};

/** The module of an action's type (the action has passed the workflow schema, so its type is known). */
export function actionTypeOf<T extends WorkflowActionType>(action: ActionOf<T>): ActionType<T> {
  return ACTION_TYPES[action.type as T];
}

/** The module of a type name from outside a checked document, if it names one. */
export function findActionType(type: unknown): ActionType<WorkflowActionType> | undefined {
  return typeof type === 'string' && Object.hasOwn(ACTION_TYPES, type) ? (ACTION_TYPES[type as WorkflowActionType] as ActionType<WorkflowActionType>) : undefined;
}

/** The JSON Schema of one action: one branch per type, picked by `type`. */
export const actionSchema: JsonSchema = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type'],
  oneOf: Object.values(ACTION_TYPES).map((module) => module.schema),
};
