import type { ClientText, FieldChange, Notification, WorkflowRun } from '@crm/engine/core';
import { api, query } from '../api/client';

/**
 * What the activity timeline is made of, each from its own API: field history (the record's),
 * workflow runs about the record (administrators only: the run log is theirs) and the user's
 * notifications (the API has no record filter, so the page keeps those about the record).
 * Approval requests come from the approvals API (records/page/approvals/approval-api.ts).
 */

const recordPath = (object: string, id: string) => `/api/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}`;

export async function fieldHistory(object: string, id: string): Promise<FieldChange[]> {
  return (await api.get<{ data: FieldChange[] }>(`${recordPath(object, id)}/history`)).data;
}

export async function workflowRuns(object: string, id: string): Promise<WorkflowRun[]> {
  return (await api.get<{ data: WorkflowRun[] }>('/api/workflow-runs' + query({ object, record: id, limit: 100 }))).data;
}

/** The labels of an object's workflows by name (administrators: the workflow documents are theirs), so a run reads by its label. */
export async function workflowLabels(object: string): Promise<ReadonlyMap<string, ClientText>> {
  const { data } = await api.get<{ data: { name: string; label?: ClientText }[] }>(`/api/meta/objects/${encodeURIComponent(object)}/workflows`);
  return new Map(data.flatMap((workflow) => (workflow.label === undefined ? [] : [[workflow.name, workflow.label] as const])));
}

/** The user's latest notifications about this record (the API lists the newest 500 at most). */
export async function recordNotifications(object: string, id: string): Promise<Notification[]> {
  const { data } = await api.get<{ data: Notification[] }>('/api/notifications' + query({ limit: 500 }));
  return data.filter((notification) => notification.record_id === id && (notification.object === null || notification.object === object));
}

export const timelineKeys = {
  history: (object: string, id: string) => ['timeline', 'history', object, id] as const,
  runs: (object: string, id: string) => ['timeline', 'runs', object, id] as const,
  workflowLabels: (object: string) => ['timeline', 'workflow-labels', object] as const,
  notifications: (object: string, id: string) => ['timeline', 'notifications', object, id] as const,
};
