import type { ClientText } from '@crm/engine/core';
import { api } from '../../../api/client';

/**
 * A record's approval requests (GET /api/records/:object/:id/approvals, newest first) and the
 * actions on them (server/src/approvals/routes.ts): submit on the record, approve / reject /
 * recall / reassign on the request.
 */

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'recalled';
export type StepStatus = 'pending' | 'approved' | 'rejected' | 'skipped' | 'cancelled';
export type ApproverStatus = 'pending' | 'approved' | 'rejected' | 'reassigned' | 'cancelled';
export type ApprovalActionKind = 'submitted' | 'approved' | 'rejected' | 'recalled' | 'reassigned' | 'skipped';

export interface ApprovalStep {
  readonly name: string;
  readonly label: ClientText | null;
  readonly mode: 'any' | 'all';
  readonly status: StepStatus;
  readonly started_at: string;
  readonly decided_at: string | null;
  readonly approvers: readonly { readonly user_id: string; readonly status: ApproverStatus; readonly comment: string | null; readonly decided_at: string | null }[];
}

export interface ApprovalAction {
  readonly action: ApprovalActionKind;
  readonly step: string | null;
  readonly actor_id: string;
  readonly to_user_id: string | null;
  readonly comment: string | null;
  readonly at: string;
}

export interface ApprovalRequest {
  readonly id: string;
  readonly object: string;
  readonly record_id: string;
  readonly process: string;
  readonly process_label: ClientText;
  readonly status: ApprovalStatus;
  readonly current_step: string | null;
  readonly submitted_by: string;
  readonly submitted_at: string;
  readonly comment: string | null;
  readonly decided_at: string | null;
  readonly steps: readonly ApprovalStep[];
  readonly actions: readonly ApprovalAction[];
}

const recordPath = (object: string, id: string) => `/api/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}`;

export const approvalKeys = {
  record: (object: string, id: string) => ['approvals', 'record', object, id] as const,
};

export async function recordApprovals(object: string, id: string): Promise<ApprovalRequest[]> {
  return (await api.get<{ data: ApprovalRequest[] }>(`${recordPath(object, id)}/approvals`)).data;
}

export function submitForApproval(object: string, id: string, body: { process?: string; comment?: string }): Promise<ApprovalRequest> {
  return api.post<ApprovalRequest>(`${recordPath(object, id)}/submit`, body);
}

export type Decision = 'approve' | 'reject' | 'recall' | 'reassign';

export interface DecisionBody {
  readonly comment?: string;
  readonly step?: string;
  readonly to_user_id?: string;
  readonly from_user_id?: string;
}

export function decide(request: string, decision: Decision, body: DecisionBody): Promise<ApprovalRequest> {
  return api.post<ApprovalRequest>(`/api/approvals/${encodeURIComponent(request)}/${decision}`, body);
}

/** The request waiting for a decision, if any (at most one per record). */
export function pendingRequest(requests: readonly ApprovalRequest[] | undefined): ApprovalRequest | undefined {
  return requests?.find((request) => request.status === 'pending');
}

/** The step a pending request waits on. */
export function currentStep(request: ApprovalRequest): ApprovalStep | undefined {
  return request.steps.find((step) => step.name === request.current_step);
}

/** Whether the user holds an open task on the current step. */
export function hasOpenTask(request: ApprovalRequest, userId: string): boolean {
  return currentStep(request)?.approvers.some((approver) => approver.user_id === userId && approver.status === 'pending') ?? false;
}
