import type { Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import type { ApprovalSummary, RequestHeading } from '../core/approval-types';
import type { ApprovalProcessDefinition } from './types';

export type { ApprovalSummary, RequestHeading };

export const MAX_LISTED = 500;

function base(db: Kysely<SystemDatabase>) {
  return db
    .selectFrom('crm_meta.approval_requests as r')
    .innerJoin('crm_meta.users as u', 'u.id', 'r.submitted_by')
    .select([
      'r.id as request_id',
      'r.object_id',
      'r.record_id',
      'r.process_name',
      'r.definition',
      'r.status',
      'r.current_step',
      'r.submitted_by',
      'u.name as submitter_name',
      'r.submitted_at',
      'r.submit_comment',
      'r.decided_at',
    ]);
}

/** One row of either list, before titles and object names are known. */
export interface SummaryRow {
  readonly request_id: string;
  readonly object_id: string;
  readonly record_id: string;
  readonly process_name: string;
  readonly definition: unknown;
  readonly status: ApprovalSummary['status'];
  readonly current_step: number | null;
  readonly submitted_by: string;
  readonly submitter_name: string;
  readonly submitted_at: string;
  readonly submit_comment: string | null;
  readonly decided_at: string | null;
  readonly task_id?: string;
  readonly task_status?: string;
  readonly task_comment?: string | null;
  readonly task_decided_at?: string | null;
  readonly step_position?: number;
}

/** Requests the user submitted, newest first. */
export function submittedRows(db: Kysely<SystemDatabase>, userId: string): Promise<SummaryRow[]> {
  return base(db).where('r.submitted_by', '=', userId).orderBy('r.submitted_at', 'desc').orderBy('r.id', 'desc').limit(MAX_LISTED).execute();
}

/** The user's decisions (approved or rejected tasks), newest first. */
export function decidedRows(db: Kysely<SystemDatabase>, userId: string): Promise<SummaryRow[]> {
  return base(db)
    .innerJoin('crm_meta.approval_tasks as t', 't.request_id', 'r.id')
    .innerJoin('crm_meta.approval_steps as s', 's.id', 't.step_id')
    .select(['t.id as task_id', 't.status as task_status', 't.comment as task_comment', 't.decided_at as task_decided_at', 's.position as step_position'])
    .where('t.approver_id', '=', userId)
    .where('t.status', 'in', ['approved', 'rejected'])
    .orderBy('t.decided_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(MAX_LISTED)
    .execute();
}

export function summaryOf(row: SummaryRow, object: string, title: string | null): ApprovalSummary {
  const definition = row.definition as ApprovalProcessDefinition;
  const current = row.current_step === null || row.status !== 'pending' ? undefined : definition.steps[row.current_step];
  return {
    request_id: row.request_id,
    object,
    record_id: row.record_id,
    title,
    process: row.process_name,
    process_label: definition.label,
    status: row.status,
    current_step: current?.name ?? null,
    current_step_label: current?.label ?? null,
    submitted_by: { id: row.submitted_by, name: row.submitter_name },
    submitted_at: row.submitted_at,
    comment: row.submit_comment,
    decided_at: row.decided_at,
    decision:
      row.task_id === undefined
        ? null
        : {
            task_id: row.task_id,
            step: definition.steps[row.step_position ?? 0]?.name ?? '',
            outcome: row.task_status === 'rejected' ? 'rejected' : 'approved',
            comment: row.task_comment ?? null,
            at: row.task_decided_at ?? row.submitted_at,
          },
  };
}
