import type { ApprovalSummary, InboxEntry } from '@crm/engine/core';
import { api } from '../api/client';

/** The approval endpoints the inbox reads and acts through (server/src/approvals/routes.ts). */

/** React Query keys, all under ['approvals'], so acting refreshes the shell's badge (inboxQuery) too. */
export const approvalKeys = {
  all: ['approvals'] as const,
  inbox: ['approvals', 'inbox'] as const,
  submitted: ['approvals', 'submitted'] as const,
  decided: ['approvals', 'decided'] as const,
};

export const fetchInbox = () => api.get<{ data: InboxEntry[] }>('/api/approvals/inbox').then((r) => r.data);
/** The one query of what waits on me: the shell's badge, the home page and the inbox share its answer. */
export const inboxQuery = { queryKey: approvalKeys.inbox, queryFn: fetchInbox };
export const fetchSubmitted = () => api.get<{ data: ApprovalSummary[] }>('/api/approvals/submitted').then((r) => r.data);
export const fetchDecided = () => api.get<{ data: ApprovalSummary[] }>('/api/approvals/decided').then((r) => r.data);

export type Decision = 'approve' | 'reject';

/** `step` pins the decision to the step the user saw: a step that started since is a 409, not a blind approval. */
export function decide(task: Pick<InboxEntry, 'request_id' | 'step'>, decision: Decision, comment: string): Promise<unknown> {
  return api.post(`/api/approvals/${encodeURIComponent(task.request_id)}/${decision}`, { step: task.step, ...(comment.trim() ? { comment: comment.trim() } : {}) });
}

/** Approves several tasks one after the other; each outcome on its own (one refused does not stop the rest). */
export async function approveAll(tasks: readonly InboxEntry[], comment: string): Promise<{ approved: number; failed: { task: InboxEntry; message: string }[] }> {
  const failed: { task: InboxEntry; message: string }[] = [];
  let approved = 0;
  for (const task of tasks) {
    try {
      await decide(task, 'approve', comment);
      approved += 1;
    } catch (error) {
      failed.push({ task, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { approved, failed };
}
