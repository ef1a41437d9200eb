import type { ApprovalActionKind, ApprovalRequestView, FieldChange, Notification, WorkflowRun } from '@crm/engine/core';

/**
 * The activity of one record from its sources, merged newest first. Entries keep ids and raw
 * values; the timeline turns them into sentences in the user's language with field labels and
 * user names ("王芳 changed Stage from Proposal to Negotiation").
 */
export type TimelineEntry =
  | { readonly kind: 'created'; readonly key: string; readonly at: string; readonly actorId: string | null }
  | { readonly kind: 'field'; readonly key: string; readonly at: string; readonly actorId: string; readonly change: FieldChange }
  | {
      readonly kind: 'approval';
      readonly key: string;
      readonly at: string;
      readonly actorId: string;
      readonly action: ApprovalActionKind;
      readonly request: ApprovalRequestView;
      readonly step: string | null;
      readonly toUserId: string | null;
      readonly comment: string | null;
    }
  | { readonly kind: 'workflow'; readonly key: string; readonly at: string; readonly actorId: string; readonly run: WorkflowRun }
  | { readonly kind: 'notification'; readonly key: string; readonly at: string; readonly actorId: null; readonly notification: Notification };

export interface TimelineSources {
  readonly created?: { readonly at: string; readonly by: string | null };
  readonly history?: readonly FieldChange[];
  readonly approvals?: readonly ApprovalRequestView[];
  readonly runs?: readonly WorkflowRun[];
  readonly notifications?: readonly Notification[];
}

export function timelineEntries(sources: TimelineSources): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (sources.created) entries.push({ kind: 'created', key: 'created', at: sources.created.at, actorId: sources.created.by });
  (sources.history ?? []).forEach((change, index) => {
    entries.push({ kind: 'field', key: `field-${index}-${change.changed_at}-${change.field}`, at: change.changed_at, actorId: change.actor_id, change });
  });
  for (const request of sources.approvals ?? []) {
    request.actions.forEach((action, index) => {
      entries.push({
        kind: 'approval',
        key: `approval-${request.id}-${index}`,
        at: action.at,
        actorId: action.actor_id,
        action: action.action,
        request,
        step: action.step,
        toUserId: action.to_user_id,
        comment: action.comment,
      });
    });
  }
  for (const run of sources.runs ?? []) entries.push({ kind: 'workflow', key: `run-${run.id}`, at: run.started_at, actorId: run.actor_id, run });
  for (const notification of sources.notifications ?? []) {
    entries.push({ kind: 'notification', key: `notification-${notification.id}`, at: notification.created_at, actorId: null, notification });
  }
  // Newest first; at the same instant the later source first (a workflow run above the change that fired it).
  return entries
    .map((entry, index) => ({ entry, index, time: Date.parse(entry.at) }))
    .sort((a, b) => b.time - a.time || b.index - a.index)
    .map(({ entry }) => entry);
}
