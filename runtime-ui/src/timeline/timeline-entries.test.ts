import { describe, expect, it } from 'vitest';
import type { ApprovalRequestView, Notification, WorkflowRun } from '@crm/engine/core';
import { timelineEntries } from './timeline-entries';

const request = {
  id: 'r1',
  object: 'deal',
  record_id: 'd1',
  process: 'large',
  process_label: 'Large',
  status: 'pending',
  current_step: 'manager',
  submitted_by: 'u1',
  submitted_at: '2026-01-02T10:00:00Z',
  comment: null,
  decided_at: null,
  steps: [],
  actions: [
    { action: 'submitted', step: null, actor_id: 'u1', to_user_id: null, comment: 'please', at: '2026-01-02T10:00:00Z' },
    { action: 'reassigned', step: 'manager', actor_id: 'u2', to_user_id: 'u3', comment: null, at: '2026-01-03T09:00:00Z' },
  ],
} as ApprovalRequestView;

describe('timeline entries', () => {
  it('merges every source newest first, the creation last', () => {
    const entries = timelineEntries({
      created: { at: '2026-01-01T08:00:00Z', by: 'u1' },
      history: [{ field: 'stage', old_value: 'proposal', new_value: 'negotiation', actor_id: 'u1', changed_at: '2026-01-02T12:00:00Z' }],
      approvals: [request],
      runs: [{ id: 'w1', workflow: 'notify', started_at: '2026-01-02T12:00:00Z', actor_id: 'u1', outcome: 'completed' } as WorkflowRun],
      notifications: [{ id: 'n1', title: 'Big deal', created_at: '2026-01-04T00:00:00Z' } as Notification],
    });
    expect(entries.map((e) => e.kind)).toEqual(['notification', 'approval', 'workflow', 'field', 'approval', 'created']);
    const reassigned = entries[1]!;
    expect(reassigned.kind === 'approval' && [reassigned.action, reassigned.toUserId, reassigned.step]).toEqual(['reassigned', 'u3', 'manager']);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
  });

  it('is empty without sources', () => {
    expect(timelineEntries({})).toEqual([]);
  });
});
