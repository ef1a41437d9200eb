import type { I18nText } from '../documents/i18n';

/**
 * Approval requests as the API answers them (server/src/approvals/routes.ts): the engine's
 * approvals/ builds them, the UIs read them. Type-only, so the browser-safe core carries them.
 */

/** How a step decides: the first approver's decision, or every approver's. */
export type ApprovalMode = 'any' | 'all';
export type ApprovalRequestStatus = 'pending' | 'approved' | 'rejected' | 'recalled';
export type ApprovalStepStatus = 'pending' | 'approved' | 'rejected' | 'skipped' | 'cancelled';
export type ApproverStatus = 'pending' | 'approved' | 'rejected' | 'reassigned' | 'cancelled';
export type ApprovalActionKind = 'submitted' | 'approved' | 'rejected' | 'recalled' | 'reassigned' | 'skipped';

/** An approval request as the API returns it: its steps with each approver's task, and every action. */
export interface ApprovalRequestView {
  readonly id: string;
  readonly object: string;
  readonly record_id: string;
  readonly process: string;
  readonly process_label: I18nText;
  readonly status: ApprovalRequestStatus;
  /** The step waiting for a decision (null once decided). */
  readonly current_step: string | null;
  readonly submitted_by: string;
  readonly submitted_at: string;
  readonly comment: string | null;
  readonly decided_at: string | null;
  readonly steps: readonly ApprovalStepView[];
  readonly actions: readonly ApprovalActionView[];
}

export interface ApprovalStepView {
  readonly name: string;
  readonly label: I18nText | null;
  readonly mode: ApprovalMode;
  readonly status: ApprovalStepStatus;
  readonly started_at: string;
  readonly decided_at: string | null;
  readonly approvers: readonly { readonly user_id: string; readonly status: ApproverStatus; readonly comment: string | null; readonly decided_at: string | null }[];
}

export interface ApprovalActionView {
  readonly action: ApprovalActionKind;
  /** The step it happened in (null for submission and recall). */
  readonly step: string | null;
  readonly actor_id: string;
  /** Reassignments: the new approver. */
  readonly to_user_id: string | null;
  readonly comment: string | null;
  readonly at: string;
}

/** What every list of the inbox says about a request: its record, its process, who submitted it. */
export interface RequestHeading {
  readonly request_id: string;
  readonly object: string;
  readonly record_id: string;
  /** The record's title (null when the object has none, or its title field is hidden from the reader). */
  readonly title: string | null;
  readonly process: string;
  readonly process_label: I18nText;
  readonly submitted_by: { readonly id: string; readonly name: string };
  readonly submitted_at: string;
  /** The submitter's comment. */
  readonly comment: string | null;
}

/** A task waiting on the reader (GET /api/approvals/inbox), with what they need to decide where to look. */
export interface InboxEntry extends RequestHeading {
  readonly task_id: string;
  readonly step: string;
  readonly step_label: I18nText | null;
  readonly mode: ApprovalMode;
  /** A rejection on this step must say why (the step's `require_comment_on_reject`). */
  readonly reject_needs_comment: boolean;
  /** When the task reached the reader. */
  readonly waiting_since: string;
}

/**
 * A request seen from one side of the inbox (GET /api/approvals/submitted and /decided): the ones
 * a user submitted, or the decisions a user made (one entry per decision: someone approving two
 * steps of a request has two).
 */
export interface ApprovalSummary extends RequestHeading {
  readonly status: ApprovalRequestStatus;
  /** The step waiting for a decision (null once decided). */
  readonly current_step: string | null;
  readonly current_step_label: I18nText | null;
  readonly decided_at: string | null;
  /** The reader's own decision (the "decided by me" list; null in "submitted by me"). */
  readonly decision: { readonly task_id: string; readonly step: string; readonly outcome: 'approved' | 'rejected'; readonly comment: string | null; readonly at: string } | null;
}
