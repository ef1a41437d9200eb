import type { Kysely, Selectable } from 'kysely';
import type { ApprovalRequestsTable, SystemDatabase } from '../db/system-tables';
import type { CompiledMetadata } from '../metadata/compile';
import type { ApprovalActionView, ApprovalRequestView, ApprovalStepView } from '../core/approval-types';
import type { ApprovalProcessDefinition } from './types';

export type { ApprovalActionView, ApprovalRequestView, ApprovalStepView };

type RequestRow = Selectable<ApprovalRequestsTable>;

/** Views of requests, in the order given: three queries whatever their number. */
export async function requestViews(db: Kysely<SystemDatabase>, metadata: CompiledMetadata, requests: readonly RequestRow[]): Promise<ApprovalRequestView[]> {
  if (requests.length === 0) return [];
  const ids = requests.map((r) => r.id);
  const [steps, tasks, actions] = await Promise.all([
    db.selectFrom('crm_meta.approval_steps').selectAll().where('request_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('crm_meta.approval_tasks').selectAll().where('request_id', 'in', ids).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('crm_meta.approval_history').selectAll().where('request_id', 'in', ids).orderBy('id').execute(),
  ]);
  const objectNames = new Map(metadata.objects().map((o) => [o.id, o.name]));
  return requests.map((request) => {
    const definition = request.definition as ApprovalProcessDefinition;
    const stepName = (position: number | null) => (position === null ? null : (definition.steps[position]?.name ?? null));
    return {
      id: request.id,
      object: objectNames.get(request.object_id) ?? '',
      record_id: request.record_id,
      process: request.process_name,
      process_label: definition.label,
      status: request.status,
      current_step: stepName(request.current_step),
      submitted_by: request.submitted_by,
      submitted_at: request.submitted_at,
      comment: request.submit_comment,
      decided_at: request.decided_at,
      steps: steps
        .filter((s) => s.request_id === request.id)
        .map((s) => ({
          name: s.name,
          label: definition.steps[s.position]?.label ?? null,
          mode: s.mode,
          status: s.status,
          started_at: s.started_at,
          decided_at: s.decided_at,
          approvers: tasks.filter((t) => t.step_id === s.id).map((t) => ({ user_id: t.approver_id, status: t.status, comment: t.comment, decided_at: t.decided_at })),
        })),
      actions: actions
        .filter((a) => a.request_id === request.id)
        .map((a) => ({ action: a.action, step: stepName(a.step_position), actor_id: a.actor_id, to_user_id: a.to_user_id, comment: a.comment, at: a.at })),
    };
  });
}
