import { sql, type Transaction } from 'kysely';
import { SYSTEM_USER_ID } from '../actors';
import type { ApprovalService } from '../approvals/approval-service';
import { CrmError, reason, type ReasonData } from '../errors';
import type { JobQueue } from '../jobs';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import { newId } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import type { RecordService } from '../records/record-service';
import type { Row } from '../records/statements';
import type { WithinTransaction } from '../records/write-hooks';
import { recordAudit } from '../db/audit-entries';
import type { CompiledWorkflow } from './compile-workflows';
import { actionTypeOf } from './actions/registry';
import type { PendingDelivery } from './deliveries';
import type { WorkflowAction } from './types';

/** Everything an action needs about the run it belongs to. */
export interface RunScope {
  readonly trx: Transaction<unknown>;
  readonly metadata: CompiledMetadata;
  readonly object: CompiledObject;
  readonly workflow: CompiledWorkflow;
  /** `created`, `updated`, ... or `date` / `schedule`. */
  readonly trigger: string;
  /** The triggering record as stored, and before the write (updates). */
  readonly record: Row;
  readonly old: Row | undefined;
  /** The rule data of the record (formulas, `$user`, `$now`, `$today`, `$old`). */
  readonly data: Record<string, unknown>;
  /** Who caused the run: stamped on what it writes, `$user` of its rules. */
  readonly context: RuleContext;
  /** The depth of the triggering write; writes of the actions are one deeper. */
  readonly depth: number;
  readonly runId: string;
  /** The triggering record as this transaction last wrote it (shared by the runs of one write). */
  readonly latest: LatestRow;
  /** Where the run's webhooks and email wait for the end of the write's workflow processing (shared like `latest`). */
  readonly deliveries: PendingDelivery[];
}

/**
 * What the runs of one write know of the triggering record: the row as last written (and locked)
 * in the transaction, so an update of it need not read it again, and whether anything else may
 * have changed it since (a created child's rollup): then it is read again.
 */
export interface LatestRow {
  row: Row;
  /** Something other than an update of the record itself was written. */
  stale: boolean;
  /** The record itself was written again. */
  touched: boolean;
}

export interface ActionServices {
  readonly records: RecordService;
  readonly jobs: JobQueue;
  readonly approvals: ApprovalService;
}

export interface ActionResult {
  readonly outcome: 'done' | 'skipped';
  readonly detail?: Record<string, unknown>;
}

/** How an action is named in errors and the log: its name, else its position and type. */
export function actionLabel(action: WorkflowAction, index: number): string {
  return action.name ?? `${index + 1}:${action.type}`;
}

/**
 * Runs one action. Record writes go through the record pipeline as the system actor (no access
 * checks: an administrator configured them) on behalf of whoever caused the run, inside the run's
 * transaction, one workflow level deeper. Email and webhooks become jobs in the same transaction,
 * keyed by run and action, so they exist exactly when the write commits; they are built at the
 * end of the write's workflow processing, so they carry the record as committed.
 */
export async function runAction(action: WorkflowAction, index: number, run: RunScope, services: ActionServices): Promise<ActionResult> {
  const within: WithinTransaction = { transaction: run.trx, metadata: run.metadata, onBehalfOf: run.context.user, workflowDepth: run.depth + 1 };
  const recordId = run.record.id as string;
  const latest = run.latest;
  // An update of the triggering record itself starts from the row this transaction holds.
  const self: WithinTransaction = {
    ...within,
    ...(latest.stale ? {} : { current: latest.row }),
    onStored: (row) => {
      latest.row = row;
      latest.touched = true;
    },
  };
  return actionTypeOf(action).run(action, { run, services, index, recordId, within, self });
}

/** Stable per run and action: the job's idempotency key, and a webhook's delivery id. */
export function deliveryKey(run: RunScope, action: WorkflowAction, index: number): string {
  return `workflow:${run.runId}:${actionKey(action, index)}`;
}

/** Identifies an action within its workflow (round-robin counters, delivery keys). */
export function actionKey(action: WorkflowAction, index: number): string {
  return action.name ?? String(index);
}

/**
 * The next active user in turn: holders of a role, or members of a department, ordered by id.
 * The counter row is updated first, so its row lock orders concurrent runs: two writes at the
 * same moment get consecutive positions, never the same one.
 */
export async function nextInTurn(run: RunScope, key: string, spec: { role: string } | { department_id: string }): Promise<string> {
  const counted = await sql<{ position: string | number }>`
    update crm_meta.workflow_counters set position = position + 1
    where workflow_id = ${run.workflow.id}::uuid and action = ${key} returning position`.execute(run.trx);
  let position = Number(counted.rows[0]?.position ?? 0);
  if (!counted.rows[0]) {
    // Counters are created when the workflow is saved; this only heals one lost since.
    await sql`insert into crm_meta.workflow_counters (workflow_id, action, position) values (${run.workflow.id}::uuid, ${key}, 1)`.execute(run.trx);
    position = 1;
  }
  let users: { id: string }[];
  let pool: ReasonData;
  if ('role' in spec) {
    const roleId = run.metadata.security.roleIdsByName.get(spec.role);
    pool = reason('pool_role', { name: spec.role });
    users = roleId
      ? (
          await sql<{ id: string }>`
            select u.id from crm_meta.users u join crm_meta.user_roles r on r.user_id = u.id
            where r.role_id = ${roleId}::uuid and u.active and u.id <> ${SYSTEM_USER_ID}::uuid order by u.id`.execute(run.trx)
        ).rows
      : [];
  } else {
    pool = reason('pool_department', { id: spec.department_id });
    users = (
      await sql<{ id: string }>`
        select id from crm_meta.users where department_id = ${spec.department_id}::uuid and active and id <> ${SYSTEM_USER_ID}::uuid order by id`.execute(run.trx)
    ).rows;
  }
  if (users.length === 0) throw new CrmError('validation_failed', {}, [{ path: 'owner_id', code: 'invalid', params: { reason: reason('no_active_user_to_assign', { pool }) } }]);
  return users[(position - 1) % users.length]!.id;
}

export async function addShare(run: RunScope, action: Extract<WorkflowAction, { type: 'add_share' }>): Promise<ActionResult> {
  const userId = action.user_id ?? (action.field !== undefined ? (run.record[action.field] as string | null) : undefined);
  const departmentId = action.department_id;
  if (!userId && !departmentId) return { outcome: 'skipped', detail: { reason: `${action.field} is empty` } };
  const recordId = run.record.id as string;
  // Upsert by hand: INSERT ... ON CONFLICT is avoided on PGlite (see DESIGN.md).
  const existing = await sql<{ id: string }>`
    select id from crm_meta.record_shares
    where object_id = ${run.object.id}::uuid and record_id = ${recordId}::uuid
      and ${userId ? sql`user_id = ${userId}::uuid` : sql`department_id = ${departmentId!}::uuid`}
    for update`.execute(run.trx);
  const id = existing.rows[0]?.id ?? newId();
  if (existing.rows[0]) await sql`update crm_meta.record_shares set access = ${action.access}, granted_by = ${run.context.user.id}::uuid where id = ${id}::uuid`.execute(run.trx);
  else {
    await sql`
      insert into crm_meta.record_shares (id, object_id, record_id, user_id, department_id, access, granted_by)
      values (${id}::uuid, ${run.object.id}::uuid, ${recordId}::uuid, ${userId ?? null}::uuid, ${departmentId ?? null}::uuid, ${action.access}, ${run.context.user.id}::uuid)`.execute(run.trx);
  }
  const share = { ...(userId ? { user_id: userId } : { department_id: departmentId }), access: action.access };
  await recordAudit(run.trx, { actorId: run.context.user.id, event: 'share_granted', subject: `${run.object.name}/${recordId}`, details: { ...share, workflow: run.workflow.name } });
  return { outcome: 'done', detail: { share_id: id, ...share } };
}

