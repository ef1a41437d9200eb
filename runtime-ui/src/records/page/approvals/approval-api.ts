import type { ApprovalRequestView, ApprovalStepView } from '@crm/engine/core';
import { api } from '../../../api/client';

/**
 * A record's approval requests (GET /api/records/:object/:id/approvals, newest first) and the
 * actions on them (server/src/approvals/routes.ts): submit on the record, approve / reject /
 * recall / reassign on the request.
 */

const recordPath = (object: string, id: string) => `/api/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}`;

export const approvalKeys = {
  record: (object: string, id: string) => ['approvals', 'record', object, id] as const,
};

export async function recordApprovals(object: string, id: string): Promise<ApprovalRequestView[]> {
  return (await api.get<{ data: ApprovalRequestView[] }>(`${recordPath(object, id)}/approvals`)).data;
}

export function submitForApproval(object: string, id: string, body: { process?: string; comment?: string }): Promise<ApprovalRequestView> {
  return api.post<ApprovalRequestView>(`${recordPath(object, id)}/submit`, body);
}

export type Decision = 'approve' | 'reject' | 'recall' | 'reassign';

export interface DecisionBody {
  readonly comment?: string;
  readonly step?: string;
  readonly to_user_id?: string;
  readonly from_user_id?: string;
}

export function decide(request: string, decision: Decision, body: DecisionBody): Promise<ApprovalRequestView> {
  return api.post<ApprovalRequestView>(`/api/approvals/${encodeURIComponent(request)}/${decision}`, body);
}

/** The request waiting for a decision, if any (at most one per record). */
export function pendingRequest(requests: readonly ApprovalRequestView[] | undefined): ApprovalRequestView | undefined {
  return requests?.find((request) => request.status === 'pending');
}

/** The step a pending request waits on. */
export function currentStep(request: ApprovalRequestView): ApprovalStepView | undefined {
  return request.steps.find((step) => step.name === request.current_step);
}

/** Whether the user holds an open task on the current step. */
export function hasOpenTask(request: ApprovalRequestView, userId: string): boolean {
  return currentStep(request)?.approvers.some((approver) => approver.user_id === userId && approver.status === 'pending') ?? false;
}
