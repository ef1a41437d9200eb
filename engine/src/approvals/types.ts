import type { FieldAssignments } from '../assignments';
import type { ApprovalMode } from '../core/approval-types';
import type { I18nText } from '../metadata/i18n';
import type { JsonLogicRule } from '../rules/scope';

/**
 * Approval process documents (metadata, one per process and object, like views). A record that
 * satisfies `entry_criteria` may be submitted; the request then walks the steps in order, skipping
 * those whose `criteria` are false when they would start. Approvers are resolved when a step
 * starts; `any` completes a step with the first approval, `all` needs every approver; any
 * rejection rejects the whole request. The final decision (and a recall) applies its field
 * updates through the record write pipeline as the system actor, in the decision's transaction.
 */

export type ApproverSpec =
  | { readonly type: 'user'; readonly user_id: string }
  | { readonly type: 'role'; readonly role: string }
  /** The submitter's manager, `levels` up the users.manager_id chain (default 1). */
  | { readonly type: 'manager'; readonly levels?: number }
  /** The user held by a user field of the record (owner_id included). */
  | { readonly type: 'field'; readonly field: string };

export type { ApprovalMode };

export interface ApprovalStepDefinition {
  readonly name: string;
  readonly label?: I18nText;
  /** JSON-Logic over the record: the step is skipped when it is false as the step would start. */
  readonly criteria?: JsonLogicRule;
  readonly approvers: readonly ApproverSpec[];
  readonly mode: ApprovalMode;
  readonly require_comment_on_reject?: boolean;
}

export interface ApprovalProcessDefinition {
  readonly name: string;
  readonly label: I18nText;
  readonly description?: string;
  /** Only active processes accept submissions; requests already running go on either way. */
  readonly active: boolean;
  readonly entry_criteria: JsonLogicRule;
  readonly steps: readonly ApprovalStepDefinition[];
  readonly on_approve?: FieldAssignments;
  readonly on_reject?: FieldAssignments;
  readonly on_recall?: FieldAssignments;
}

export const FIELD_UPDATE_KEYS = ['on_approve', 'on_reject', 'on_recall'] as const;
export type FieldUpdateKey = (typeof FIELD_UPDATE_KEYS)[number];
