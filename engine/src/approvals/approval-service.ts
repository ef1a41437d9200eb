import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { assertActor, SYSTEM_USER_ID, systemActor, type Actor } from '../actors';
import { evaluateAssignments, type FieldAssignments } from '../assignments';
import type { InboxEntry } from '../core/approval-types';
import { crmErrorOf } from '../db/pg-errors';
import type { ApprovalRequestsTable, ApprovalTasksTable, SystemDatabase } from '../db/system-tables';
import { CrmError, reason, validationError, type ReasonData } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import { isUuid, newId } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import { requireOperation } from '../records/guards';
import type { RecordService } from '../records/record-service';
import type { RecordData } from '../records/representation';
import { columnList, selectRowForUpdate } from '../records/statements';
import { columnsFor, outputRecord } from '../records/representation';
import { currentRow } from '../records/write-update';
import { recordTable } from '../schema-sync/ddl';
import type { ActorAccess } from '../security/actor-access';
import type { Administration } from '../security/administration';
import { recordAudit, type AuditEvent } from '../db/audit-entries';
import { recordPredicate } from '../security/record-predicates';
import { approvalStates, type ApprovalState } from './approval-states';
import { checkDecisionInput, checkReassignInput, checkSubmitInput } from './inputs';
import { holds, recordRuleData } from './process-rules';
import { decidedRows, submittedRows, summaryOf, type ApprovalSummary, type SummaryRow } from './request-lists';
import { requestViews, type ApprovalRequestView } from './request-views';
import { resolveApprovers } from './resolve-approvers';
import type { ApprovalProcessDefinition } from './types';

export type { InboxEntry };

type Trx = Transaction<SystemDatabase>;
type RequestRow = Selectable<ApprovalRequestsTable>;
type TaskRow = Selectable<ApprovalTasksTable>;
type UpdateRecord = (trx: Trx, id: string, input: unknown) => Promise<RecordData>;

/** What one call needs, resolved before its transaction opens (PGlite has one connection: nothing inside may query outside it). */
interface Call {
  readonly actorId: string;
  readonly admin: boolean;
  readonly metadata: CompiledMetadata;
  readonly object: CompiledObject;
  /** `$user`, `$now` and `$today` of the rules the call runs: the one who acts. */
  readonly context: RuleContext;
  /** Field updates go through the write pipeline as the system actor, which the approval lock lets through. */
  readonly update: UpdateRecord;
}

const MAX_INBOX = 500;

/**
 * Multi-step approvals at run time. Every operation is one transaction; decisions on a request
 * serialise on its row (SELECT ... FOR UPDATE), so two approvers acting at the same moment on an
 * `any` step advance it exactly once and the second gets approval_already_decided. A final
 * decision applies the process's field updates in the same transaction, and every action lands
 * in the request's history (and the security audit log).
 */
export class ApprovalService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly cache: MetadataCache,
    private readonly records: RecordService,
    private readonly administration: Administration,
  ) {}

  /**
   * Submits a record the actor may edit: the named process, or the first active one whose entry
   * criteria hold. Every step that applies now must have someone to act on it; the first starts.
   */
  async submit(actor: Actor, objectName: string, recordId: string, input: unknown): Promise<ApprovalRequestView> {
    const options = checkSubmitInput(input);
    const scope = await this.records.accessFor(actor, objectName);
    requireOperation(scope.access, 'edit');
    if (!isUuid(recordId)) throw new CrmError('record_not_found', { object: objectName, id: recordId });
    const object = scope.object;
    const candidates = candidateProcesses(object, options.process, recordId);
    const call: Call = {
      actorId: scope.context.user.id,
      admin: scope.actor.subject.admin && !scope.actor.subject.tokenScopes,
      metadata: scope.metadata,
      object,
      context: scope.context,
      update: await this.records.updater(systemActor, objectName),
    };
    const requestId = newId();
    const read = recordPredicate(scope.actor, objectName, 'read');
    const edit = recordPredicate(scope.actor, objectName, 'edit');
    await this.#transaction(object, recordId, (trx) => this.#submitIn(trx, call, candidates, options, recordId, requestId, { ...(read ? { read } : {}), ...(edit ? { edit } : {}) }));
    return this.#view(requestId, scope.metadata);
  }

  /**
   * Submits a record inside the caller's transaction, as the system on behalf of `context.user`
   * (the submitter of record): a workflow's submit_for_approval action. No access check; the
   * criteria, the one-pending-request rule and the approvers are checked as for any submission.
   */
  async submitWithin(
    trx: Trx,
    metadata: CompiledMetadata,
    objectName: string,
    recordId: string,
    input: unknown,
    context: RuleContext,
    workflowDepth: number,
  ): Promise<{ id: string; status: string }> {
    const options = checkSubmitInput(input);
    const object = metadata.object(objectName);
    const candidates = candidateProcesses(object, options.process, recordId);
    const call: Call = {
      actorId: context.user.id,
      admin: true,
      metadata,
      object,
      context,
      update: await this.records.updater(systemActor, objectName, { metadata, onBehalfOf: context.user, workflowDepth }),
    };
    const requestId = newId();
    await this.#submitIn(trx, call, candidates, options, recordId, requestId, {});
    const request = await trx.selectFrom('crm_meta.approval_requests').select(['id', 'status']).where('id', '=', requestId).executeTakeFirstOrThrow();
    return request;
  }

  async #submitIn(
    trx: Trx,
    call: Call,
    candidates: readonly ApprovalProcessDefinition[],
    options: ReturnType<typeof checkSubmitInput>,
    recordId: string,
    requestId: string,
    guard: { read?: ReturnType<typeof recordPredicate>; edit?: ReturnType<typeof recordPredicate> },
  ): Promise<void> {
    const { object, context } = call;
    const objectName = object.name;
    // Locks the record first, as every write of it does: a submission and an edit never cross.
    const row = await currentRow(trx, object, recordId, undefined, { ...(guard.read ? { read: guard.read } : {}), ...(guard.edit ? { edit: guard.edit } : {}) });
    const pending = await trx
      .selectFrom('crm_meta.approval_requests')
      .select('id')
      .where('object_id', '=', object.id)
      .where('record_id', '=', recordId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (pending) throw new CrmError('approval_pending', { object: objectName, id: recordId });
    const data = recordRuleData(object, row, context);
    const process = candidates.find((p) => holds(p.entry_criteria, data));
    if (!process) {
      if (options.process !== undefined) throw new CrmError('approval_criteria_not_met', { id: recordId, process: options.process });
      throw new CrmError('approval_not_applicable', { object: objectName, id: recordId });
    }
    // Fail at submission, not halfway: every step that applies now must have someone to act on it.
    for (const step of process.steps) {
      if (!holds(step.criteria, data)) continue;
      const resolved = await resolveApprovers(trx, step, row, call.actorId, call.metadata.security.roleIdsByName);
      if (resolved.userIds.length === 0) throw noApprover(process.name, step.name, resolved.problems);
    }
    const stored = await trx
      .selectFrom('crm_meta.approval_processes')
      .select('id')
      .where('object_id', '=', object.id)
      .where('name', '=', process.name)
      .executeTakeFirst();
    await trx
      .insertInto('crm_meta.approval_requests')
      .values({
        id: requestId,
        object_id: object.id,
        record_id: recordId,
        process_id: stored?.id ?? null,
        process_name: process.name,
        definition: JSON.stringify(process),
        status: 'pending',
        current_step: null,
        submitted_by: call.actorId,
        submit_comment: options.comment ?? null,
      })
      .execute();
    await addHistory(trx, requestId, null, 'submitted', call.actorId, options.comment);
    const request = await trx.selectFrom('crm_meta.approval_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
    const outcome = await this.#startFrom(trx, call, request, 0);
    // Every step skipped: nothing left to decide, so the request is approved by the process itself.
    if (outcome === 'approved') await addHistory(trx, requestId, null, 'approved', SYSTEM_USER_ID, undefined);
    await audit(trx, call, 'approval_submitted', request, { process: process.name, outcome });
  }

  /** Approves the caller's task on the current step; `any` completes the step, `all` once everyone approved. */
  async approve(actor: Actor, requestId: string, input: unknown): Promise<ApprovalRequestView> {
    return this.#decide(actor, requestId, input, 'approved');
  }

  /** Rejects the whole request (a comment may be required by the step). */
  async reject(actor: Actor, requestId: string, input: unknown): Promise<ApprovalRequestView> {
    return this.#decide(actor, requestId, input, 'rejected');
  }

  /** Withdraws a pending request: its submitter, or an administrator. */
  async recall(actor: Actor, requestId: string, input: unknown): Promise<ApprovalRequestView> {
    const { comment } = checkDecisionInput(input);
    const call = await this.#prepare(actor, requestId);
    await this.#transaction(call.object, '', async (trx) => {
      const { request, tasks } = await lockRequest(trx, call, requestId);
      if (request.submitted_by !== call.actorId && !call.admin) throw new CrmError('forbidden', { action: 'recall', subject: reason('subject_approval_request', { id: requestId }) });
      if (request.status !== 'pending') throw alreadyDecided(request);
      await closeOpenTasks(trx, requestId);
      await trx
        .updateTable('crm_meta.approval_steps')
        .set({ status: 'cancelled', decided_at: sql<string>`now()` })
        .where('request_id', '=', requestId)
        .where('status', '=', 'pending')
        .execute();
      await finish(trx, requestId, 'recalled');
      await addHistory(trx, requestId, null, 'recalled', call.actorId, comment);
      await this.#applyUpdates(trx, call, request.record_id, definitionOf(request).on_recall);
      await audit(trx, call, 'approval_recalled', request, { open_tasks: tasks.filter((t) => t.status === 'pending').length });
    });
    return this.#view(requestId, call.metadata);
  }

  /**
   * Hands an open task to someone else: the approver their own, an administrator anyone's
   * (naming `from_user_id` when several approvers are waiting).
   */
  async reassign(actor: Actor, requestId: string, input: unknown): Promise<ApprovalRequestView> {
    const body = checkReassignInput(input);
    const call = await this.#prepare(actor, requestId);
    await this.#transaction(call.object, '', async (trx) => {
      const { request, tasks } = await lockRequest(trx, call, requestId);
      if (request.status !== 'pending') throw alreadyDecided(request);
      const open = tasks.filter((t) => t.status === 'pending');
      const ownTask = open.find((t) => t.approver_id === call.actorId);
      const fromId = body.from_user_id ?? ownTask?.approver_id ?? (call.admin && open.length === 1 ? open[0]!.approver_id : undefined);
      if (fromId === undefined) {
        if (call.admin) throw validationError([{ path: 'from_user_id', code: 'required' }]);
        if (tasks.some((t) => t.approver_id === call.actorId)) throw alreadyDecided(request);
        throw new CrmError('forbidden', { action: 'reassign', subject: reason('subject_approval_request', { id: requestId }) });
      }
      if (fromId !== call.actorId && !call.admin) throw new CrmError('forbidden', { action: 'reassign', subject: reason('subject_approval_request', { id: requestId }) });
      const task = open.find((t) => t.approver_id === fromId);
      if (!task) {
        if (fromId === call.actorId && tasks.some((t) => t.approver_id === call.actorId)) throw alreadyDecided(request);
        throw validationError([{ path: 'from_user_id', code: 'invalid', params: { reason: reason('no_open_task') } }]);
      }
      const to = await trx.selectFrom('crm_meta.users').select(['id', 'active']).where('id', '=', body.to_user_id).executeTakeFirst();
      if (!to || to.id === SYSTEM_USER_ID) throw validationError([{ path: 'to_user_id', code: 'reference_not_found' }]);
      if (!to.active) throw validationError([{ path: 'to_user_id', code: 'invalid', params: { reason: reason('is_deactivated') } }]);
      if (open.some((t) => t.step_id === task.step_id && t.approver_id === to.id)) {
        throw validationError([{ path: 'to_user_id', code: 'invalid', params: { reason: reason('has_open_task_in_step') } }]);
      }
      await trx
        .updateTable('crm_meta.approval_tasks')
        .set({ status: 'reassigned', comment: body.comment ?? null, decided_at: sql<string>`now()` })
        .where('id', '=', task.id)
        .execute();
      await trx.insertInto('crm_meta.approval_tasks').values({ id: newId(), request_id: requestId, step_id: task.step_id, approver_id: to.id, status: 'pending' }).execute();
      await addHistory(trx, requestId, request.current_step, 'reassigned', call.actorId, body.comment, to.id);
      await audit(trx, call, 'approval_reassigned', request, { from: fromId, to: to.id });
    });
    return this.#view(requestId, call.metadata);
  }

  /** The tasks waiting on the actor, oldest first (at most 500), with each record's title. */
  async inbox(actor: Actor): Promise<InboxEntry[]> {
    const access = await this.administration.access(actor);
    const rows = await this.db
      .selectFrom('crm_meta.approval_tasks as t')
      .innerJoin('crm_meta.approval_requests as r', 'r.id', 't.request_id')
      .innerJoin('crm_meta.users as u', 'u.id', 'r.submitted_by')
      .select([
        't.id as task_id',
        't.created_at as waiting_since',
        'r.id as request_id',
        'r.object_id',
        'r.record_id',
        'r.process_name',
        'r.definition',
        'r.current_step',
        'r.submitted_by',
        'u.name as submitter_name',
        'r.submitted_at',
        'r.submit_comment',
      ])
      .where('t.approver_id', '=', access.userId)
      .where('t.status', '=', 'pending')
      .where('r.status', '=', 'pending')
      .orderBy('t.created_at')
      .orderBy('t.id')
      .limit(MAX_INBOX)
      .execute();
    const objects = new Map(access.metadata.objects().map((o) => [o.id, o]));
    const titles = await this.#titles(access, rows.map((r) => ({ object: objects.get(r.object_id), id: r.record_id })));
    return rows.map((row) => {
      const definition = row.definition as ApprovalProcessDefinition;
      const step = definition.steps[row.current_step ?? 0]!;
      return {
        task_id: row.task_id,
        request_id: row.request_id,
        object: objects.get(row.object_id)?.name ?? '',
        record_id: row.record_id,
        title: titles.get(`${row.object_id}/${row.record_id}`) ?? null,
        process: row.process_name,
        process_label: definition.label,
        step: step.name,
        step_label: step.label ?? null,
        mode: step.mode,
        reject_needs_comment: step.require_comment_on_reject === true,
        submitted_by: { id: row.submitted_by, name: row.submitter_name },
        submitted_at: row.submitted_at,
        comment: row.submit_comment,
        waiting_since: row.waiting_since,
      };
    });
  }

  /** Requests the actor submitted, newest first (at most 500), with each record's title. */
  async submitted(actor: Actor): Promise<ApprovalSummary[]> {
    const access = await this.administration.access(actor);
    return this.#summaries(access, await submittedRows(this.db, access.userId));
  }

  /** The actor's decisions (approvals and rejections), newest first (at most 500), with each record's title. */
  async decided(actor: Actor): Promise<ApprovalSummary[]> {
    const access = await this.administration.access(actor);
    return this.#summaries(access, await decidedRows(this.db, access.userId));
  }

  async #summaries(access: ActorAccess, rows: readonly SummaryRow[]): Promise<ApprovalSummary[]> {
    const objects = new Map(access.metadata.objects().map((o) => [o.id, o]));
    const titles = await this.#titles(access, rows.map((r) => ({ object: objects.get(r.object_id), id: r.record_id })));
    return rows.map((row) => summaryOf(row, objects.get(row.object_id)?.name ?? '', titles.get(`${row.object_id}/${row.record_id}`) ?? null));
  }

  /** Of these records the caller may read: which await approval, and which a submission would apply to (see approval-states.ts). */
  async states(actor: Actor, objectName: string, ids: readonly string[]): Promise<ApprovalState[]> {
    const scope = await this.records.accessFor(actor, objectName);
    requireOperation(scope.access, 'read');
    return approvalStates(this.db, scope.actor, scope.object, scope.context, ids);
  }

  /** Every request of a record, newest first, with steps and actions; only for those who can read the record (404 otherwise). */
  async history(actor: Actor, objectName: string, recordId: string): Promise<ApprovalRequestView[]> {
    await this.records.get(actor, objectName, recordId, { fields: ['id'], includeDeleted: true });
    const metadata = await this.cache.withObject(objectName);
    const object = metadata.object(objectName);
    const requests = await this.db
      .selectFrom('crm_meta.approval_requests')
      .selectAll()
      .where('object_id', '=', object.id)
      .where('record_id', '=', recordId)
      .orderBy('submitted_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return requestViews(this.db, metadata, requests);
  }

  async #decide(actor: Actor, requestId: string, input: unknown, decision: 'approved' | 'rejected'): Promise<ApprovalRequestView> {
    const { comment, step: seenStep } = checkDecisionInput(input, { step: true });
    const call = await this.#prepare(actor, requestId);
    await this.#transaction(call.object, '', async (trx) => {
      const { request, tasks } = await lockRequest(trx, call, requestId);
      // The caller decided on what they saw: not on a step that started since.
      if (seenStep !== undefined && request.status === 'pending' && definitionOf(request).steps[request.current_step!]?.name !== seenStep) throw alreadyDecided(request);
      // Open tasks exist only on the current step of a pending request: every decision closes the others.
      const task = tasks.find((t) => t.approver_id === call.actorId && t.status === 'pending');
      if (!task) {
        if (tasks.some((t) => t.approver_id === call.actorId) || request.status !== 'pending') throw alreadyDecided(request);
        throw new CrmError('forbidden', { action: decision === 'approved' ? 'approve' : 'reject', subject: reason('subject_approval_request', { id: requestId }) });
      }
      const definition = definitionOf(request);
      const position = request.current_step!;
      const step = definition.steps[position]!;
      if (decision === 'rejected' && step.require_comment_on_reject && !comment) throw validationError([{ path: 'comment', code: 'required' }]);
      // Conditional on still being open: the request lock already serialises deciders, this keeps the invariant local.
      const decided = await trx
        .updateTable('crm_meta.approval_tasks')
        .set({ status: decision, comment: comment ?? null, decided_at: sql<string>`now()` })
        .where('id', '=', task.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(decided.numUpdatedRows) !== 1) throw alreadyDecided(request);
      await addHistory(trx, requestId, position, decision, call.actorId, comment);
      const othersOpen = tasks.some((t) => t.step_id === task.step_id && t.status === 'pending' && t.id !== task.id);
      if (decision === 'rejected') {
        await closeOpenTasks(trx, requestId);
        await closeStep(trx, task.step_id, 'rejected');
        await finish(trx, requestId, 'rejected');
        await this.#applyUpdates(trx, call, request.record_id, definition.on_reject);
        await audit(trx, call, 'approval_rejected', request, { step: step.name });
        return;
      }
      let outcome: 'pending' | 'approved' = 'pending';
      if (step.mode === 'any' || !othersOpen) {
        await closeOpenTasks(trx, requestId);
        await closeStep(trx, task.step_id, 'approved');
        outcome = await this.#startFrom(trx, call, request, position + 1);
      }
      await audit(trx, call, 'approval_approved', request, { step: step.name, outcome });
    });
    return this.#view(requestId, call.metadata);
  }

  /**
   * Starts the first step from `position` on whose criteria hold now (recording the skipped
   * ones), resolving its approvers; with no step left the request is approved and its field
   * updates applied.
   */
  async #startFrom(trx: Trx, call: Call, request: RequestRow, position: number): Promise<'pending' | 'approved'> {
    const definition = definitionOf(request);
    const row = await selectRowForUpdate(trx, call.object, request.record_id);
    if (!row || row.deleted_at !== null) throw new CrmError('record_not_found', { object: call.object.name, id: request.record_id });
    const data = recordRuleData(call.object, row, call.context);
    for (let index = position; index < definition.steps.length; index += 1) {
      const step = definition.steps[index]!;
      if (!holds(step.criteria, data)) {
        await trx
          .insertInto('crm_meta.approval_steps')
          .values({ id: newId(), request_id: request.id, position: index, name: step.name, mode: step.mode, status: 'skipped', decided_at: sql<string>`now()` })
          .execute();
        await addHistory(trx, request.id, index, 'skipped', SYSTEM_USER_ID, undefined);
        continue;
      }
      const resolved = await resolveApprovers(trx, step, row, request.submitted_by, call.metadata.security.roleIdsByName);
      if (resolved.userIds.length === 0) throw noApprover(request.process_name, step.name, resolved.problems);
      const stepId = newId();
      await trx.insertInto('crm_meta.approval_steps').values({ id: stepId, request_id: request.id, position: index, name: step.name, mode: step.mode, status: 'pending' }).execute();
      await trx
        .insertInto('crm_meta.approval_tasks')
        .values(resolved.userIds.map((approverId) => ({ id: newId(), request_id: request.id, step_id: stepId, approver_id: approverId, status: 'pending' as const })))
        .execute();
      await trx.updateTable('crm_meta.approval_requests').set({ current_step: index }).where('id', '=', request.id).execute();
      return 'pending';
    }
    await finish(trx, request.id, 'approved');
    await this.#applyUpdates(trx, call, request.record_id, definition.on_approve);
    return 'approved';
  }

  /**
   * Field updates evaluated on the record as it is now, written through the pipeline (validation
   * and rules apply). The request's copy of the process may name a field deleted since it was
   * submitted (a process that still names it blocks the delete): that one is left out.
   */
  async #applyUpdates(trx: Trx, call: Call, recordId: string, updates: FieldAssignments | undefined): Promise<void> {
    const live = Object.entries(updates ?? {}).filter(([field]) => call.object.fieldsByName.has(field));
    if (live.length === 0) return;
    const row = await selectRowForUpdate(trx, call.object, recordId);
    if (!row || row.deleted_at !== null) throw new CrmError('record_not_found', { object: call.object.name, id: recordId });
    await call.update(trx, recordId, evaluateAssignments(Object.fromEntries(live), recordRuleData(call.object, row, call.context)));
  }

  /** The caller, the request's object and the system's record writer, before any transaction. */
  async #prepare(actor: Actor, requestId: string): Promise<Call> {
    assertActor(actor);
    if (!isUuid(requestId)) throw new CrmError('approval_request_not_found', { id: requestId });
    const access = await this.administration.access(actor);
    const head = await this.db.selectFrom('crm_meta.approval_requests').select('object_id').where('id', '=', requestId.toLowerCase()).executeTakeFirst();
    const object = head && access.metadata.objects().find((o) => o.id === head.object_id);
    if (!object) throw new CrmError('approval_request_not_found', { id: requestId });
    // A token limited to some objects decides approvals only where it may write.
    const scopes = access.subject.tokenScopes;
    if (scopes && !(scopes[object.name] ?? scopes['*'] ?? []).includes('edit')) throw new CrmError('forbidden', { action: 'edit', subject: object.name });
    return {
      actorId: access.userId,
      admin: access.subject.admin && !scopes,
      metadata: access.metadata,
      object,
      context: { user: { id: access.userId, departmentId: access.subject.departmentId, roles: access.subject.roleNames }, now: new Date() },
      update: await this.records.updater(systemActor, object.name),
    };
  }

  async #transaction(object: CompiledObject, recordId: string, work: (trx: Trx) => Promise<void>): Promise<void> {
    try {
      await this.db.transaction().execute(work);
    } catch (error) {
      throw crmErrorOf(error, {
        // Two submissions of one record are serialised on its row; the index is the last word.
        unique: (pg) => (pg.constraint === 'approval_requests_pending' ? new CrmError('approval_pending', { object: object.name, id: recordId }) : undefined),
      });
    }
  }

  async #view(requestId: string, metadata: CompiledMetadata): Promise<ApprovalRequestView> {
    const request = await this.db.selectFrom('crm_meta.approval_requests').selectAll().where('id', '=', requestId.toLowerCase()).executeTakeFirstOrThrow();
    return (await requestViews(this.db, metadata, [request]))[0]!;
  }

  /** Titles of records, one query per object; a title field hidden from the reader stays hidden. */
  async #titles(access: ActorAccess, records: readonly { object: CompiledObject | undefined; id: string }[]): Promise<Map<string, string | null>> {
    const titles = new Map<string, string | null>();
    const byObject = new Map<CompiledObject, string[]>();
    for (const { object, id } of records) {
      const title = object?.definition.title_field;
      if (!object || !title || access.object(object.name).hidden.has(title)) continue;
      byObject.set(object, [...(byObject.get(object) ?? []), id]);
    }
    const context: RuleContext = { user: { id: access.userId, departmentId: access.subject.departmentId, roles: access.subject.roleNames }, now: new Date() };
    for (const [object, ids] of byObject) {
      const select = new Set([object.definition.title_field!]);
      const rows = await sql<Record<string, unknown>>`
        select ${columnList(columnsFor(object, select))} from ${recordTable(object.table)} where id = any(${[...new Set(ids)]}::uuid[])`.execute(this.db);
      for (const row of rows.rows) {
        const value = outputRecord(object, row, context, select)[object.definition.title_field!];
        titles.set(`${object.id}/${row.id as string}`, value === null || value === undefined ? null : String(value));
      }
    }
    return titles;
  }
}

/**
 * Locks the request for the rest of the transaction and reads its tasks. Who may know the request
 * exists: its submitter, its approvers (past and present) and administrators; others get 404.
 */
async function lockRequest(trx: Trx, call: Call, requestId: string): Promise<{ request: RequestRow; tasks: TaskRow[] }> {
  const request = await trx.selectFrom('crm_meta.approval_requests').selectAll().where('id', '=', requestId.toLowerCase()).forUpdate().executeTakeFirst();
  if (!request) throw new CrmError('approval_request_not_found', { id: requestId });
  // A new statement after the lock: under READ COMMITTED it sees whatever the previous holder committed.
  const tasks = await trx.selectFrom('crm_meta.approval_tasks').selectAll().where('request_id', '=', request.id).orderBy('created_at').execute();
  const involved = call.admin || request.submitted_by === call.actorId || tasks.some((t) => t.approver_id === call.actorId);
  if (!involved) throw new CrmError('approval_request_not_found', { id: requestId });
  return { request, tasks };
}

function definitionOf(request: RequestRow): ApprovalProcessDefinition {
  return request.definition as ApprovalProcessDefinition;
}

function alreadyDecided(request: RequestRow): CrmError {
  return new CrmError('approval_already_decided', { id: request.id, status: request.status });
}

function noApprover(process: string, step: string, problems: readonly ReasonData[]): CrmError {
  return new CrmError('approval_no_approver', { process, step, reason: problems.length ? reason('approver_problems', { problems }) : reason('no_approver_configured') });
}

async function addHistory(
  trx: Trx,
  requestId: string,
  stepPosition: number | null,
  action: 'submitted' | 'approved' | 'rejected' | 'recalled' | 'reassigned' | 'skipped',
  actorId: string,
  comment: string | undefined,
  toUserId: string | null = null,
): Promise<void> {
  await trx
    .insertInto('crm_meta.approval_history')
    .values({ request_id: requestId, step_position: stepPosition, action, actor_id: actorId, to_user_id: toUserId, comment: comment ?? null })
    .execute();
}

/** Tasks nobody needs to act on any more (the step or the request was decided). */
async function closeOpenTasks(trx: Trx, requestId: string): Promise<void> {
  await trx
    .updateTable('crm_meta.approval_tasks')
    .set({ status: 'cancelled', decided_at: sql<string>`now()` })
    .where('request_id', '=', requestId)
    .where('status', '=', 'pending')
    .execute();
}

async function closeStep(trx: Trx, stepId: string, status: 'approved' | 'rejected'): Promise<void> {
  await trx.updateTable('crm_meta.approval_steps').set({ status, decided_at: sql<string>`now()` }).where('id', '=', stepId).execute();
}

async function finish(trx: Trx, requestId: string, status: 'approved' | 'rejected' | 'recalled'): Promise<void> {
  await trx.updateTable('crm_meta.approval_requests').set({ status, current_step: null, decided_at: sql<string>`now()` }).where('id', '=', requestId).execute();
}

async function audit(trx: Trx, call: Call, event: AuditEvent, request: RequestRow, details: Record<string, unknown>): Promise<void> {
  await recordAudit(trx, { actorId: call.actorId, event, subject: `${call.object.name}/${request.record_id}`, details: { request: request.id, process: request.process_name, ...details } });
}

/** The named process (active), or every active one to try in order. */
function candidateProcesses(object: CompiledObject, name: string | undefined, recordId: string): ApprovalProcessDefinition[] {
  if (name !== undefined) {
    const named = object.approvalProcesses.get(name);
    if (!named) throw new CrmError('approval_process_not_found', { object: object.name, name });
    if (!named.active) throw new CrmError('approval_process_inactive', { object: object.name, name: named.name });
    return [named];
  }
  const candidates = [...object.approvalProcesses.values()].filter((p) => p.active);
  if (candidates.length === 0) throw new CrmError('approval_not_applicable', { object: object.name, id: recordId });
  return candidates;
}
