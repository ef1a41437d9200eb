import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor, userActor, type Actor } from '../actors';
import type { Engine } from '../engine';
import { expectCrmError, useTestEngine } from '../testing';

const harness = useTestEngine();

interface World {
  engine: Engine;
  admin: Actor;
  rep: Actor;
  otherRep: Actor;
  manager: Actor;
  senior: Actor;
  director: Actor;
  fin1: Actor;
  fin2: Actor;
  reviewer: Actor;
  stranger: Actor;
  ids: Record<string, string>;
}

let world: World;

/** A deal owned by the rep (their own-scope role reaches it). */
async function deal(values: Record<string, unknown>): Promise<string> {
  const record = await world.engine.records.create(systemActor, 'deal', { title: 'Deal', stage: 'open', owner_id: world.ids.rep, ...values });
  return record.id as string;
}

/** Defines a process on `deal` (replacing one of the same name) and deactivates the others, so submissions pick it. */
async function useProcess(process: Record<string, unknown>): Promise<void> {
  const { engine } = world;
  for (const existing of await engine.approvalProcesses.list(systemActor, 'deal')) {
    if (existing.name === process.name) await engine.approvalProcesses.delete(systemActor, 'deal', existing.name);
    else if (existing.active) await engine.approvalProcesses.update(systemActor, 'deal', existing.name, { active: false });
  }
  await engine.approvalProcesses.create(systemActor, 'deal', { label: 'Process', active: true, ...process });
}

beforeAll(async () => {
  const { engine } = harness();
  const sales = await engine.departments.create(systemActor, { name: 'Sales' });
  await engine.objects.create(systemActor, {
    name: 'deal',
    label: 'Deal',
    title_field: 'title',
    fields: [
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'amount', type: 'currency', label: 'Amount' },
      { name: 'probability', type: 'percent', label: 'Probability' },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'open', label: 'Open' }, { value: 'approved', label: 'Approved' }, { value: 'rejected', label: 'Rejected' }, { value: 'draft', label: 'Draft' }] },
      { name: 'reviewer', type: 'user', label: 'Reviewer' },
      { name: 'notes', type: 'text', label: 'Notes' },
    ],
  });
  await engine.roles.create(systemActor, { name: 'deal_rep', label: 'Rep', objects: { deal: { create: true, read: true, edit: true, delete: true, read_scope: 'own', fields: { probability: 'read_only' } } } });
  await engine.roles.create(systemActor, { name: 'deal_manager', label: 'Manager', objects: { deal: { read: true, edit: true, read_scope: 'all' } } });
  await engine.roles.create(systemActor, { name: 'deal_finance', label: 'Finance', objects: { deal: { read: true, read_scope: 'all' } } });
  await engine.roles.create(systemActor, { name: 'deal_nobody', label: 'Nobody', objects: {} });
  const user = async (name: string, roles: string[], managerId: string | null = null) =>
    (await engine.users.create(systemActor, { name, email: `${name.toLowerCase()}@example.com`, roles, department_id: sales.id, manager_id: managerId })).id;
  const ids: Record<string, string> = {};
  ids.director = await user('Director', ['deal_manager']);
  ids.senior = await user('Senior', ['deal_manager'], ids.director);
  ids.manager = await user('Manager', ['deal_manager'], ids.senior);
  ids.rep = await user('Rep', ['deal_rep'], ids.manager);
  ids.otherRep = await user('OtherRep', ['deal_rep'], ids.manager);
  ids.fin1 = await user('Fin1', ['deal_finance']);
  ids.fin2 = await user('Fin2', ['deal_finance']);
  ids.reviewer = await user('Reviewer', ['deal_finance']);
  ids.stranger = await user('Stranger', ['deal_nobody']);
  ids.admin = await user('Admin', ['administrator']);
  world = {
    engine,
    admin: userActor(ids.admin),
    rep: userActor(ids.rep),
    otherRep: userActor(ids.otherRep),
    manager: userActor(ids.manager),
    senior: userActor(ids.senior),
    director: userActor(ids.director),
    fin1: userActor(ids.fin1),
    fin2: userActor(ids.fin2),
    reviewer: userActor(ids.reviewer),
    stranger: userActor(ids.stranger),
    ids,
  };
  await engine.approvalProcesses.create(systemActor, 'deal', {
    name: 'big_deal',
    label: { en: 'Big deal', 'zh-CN': '大单审批' },
    active: true,
    entry_criteria: { '>': [{ var: 'amount' }, 500000] },
    steps: [
      { name: 'manager', label: 'Manager', approvers: [{ type: 'manager' }], mode: 'any' },
      { name: 'finance', criteria: { '>': [{ var: 'amount' }, 2000000] }, approvers: [{ type: 'role', role: 'deal_finance' }], mode: 'all', require_comment_on_reject: true },
    ],
    on_approve: { probability: 80, stage: 'approved' },
    on_reject: { stage: 'rejected', notes: { cat: ['rejected at ', { var: 'amount' }] } },
    on_recall: { stage: 'draft' },
  });
});

describe('approval processes as metadata', () => {
  it('validates what a process names: fields, rules, roles, user fields, users and writable update targets', async () => {
    const { engine, ids } = world;
    const base = { name: 'p_bad', label: 'Bad', active: true, entry_criteria: true, steps: [{ name: 's', approvers: [{ type: 'manager' }], mode: 'any' }] };
    const cases: [Record<string, unknown>, string][] = [
      [{ entry_criteria: { '>': [{ var: 'ghost' }, 1] } }, 'entry_criteria'],
      [{ entry_criteria: { log: 1 } }, 'entry_criteria'],
      [{ steps: [{ name: 's', criteria: { '==': [{ var: 'nope' }, 1] }, approvers: [{ type: 'manager' }], mode: 'any' }] }, 'steps/0/criteria'],
      [{ steps: [{ name: 's', approvers: [{ type: 'role', role: 'ghost_role' }], mode: 'any' }] }, 'steps/0/approvers/0/role'],
      [{ steps: [{ name: 's', approvers: [{ type: 'field', field: 'title' }], mode: 'any' }] }, 'steps/0/approvers/0/field'],
      [{ steps: [{ name: 's', approvers: [{ type: 'user', user_id: '00000000-0000-4000-8000-000000000999' }], mode: 'any' }] }, 'steps/0/approvers/0/user_id'],
      [{ steps: [{ name: 's', approvers: [{ type: 'manager', levels: 6 }], mode: 'any' }] }, 'steps/0/approvers/0/levels'],
      [{ steps: [{ name: 's', approvers: [{ type: 'manager' }], mode: 'some' }] }, 'steps/0/mode'],
      [{ steps: [{ name: 's', approvers: [{ type: 'manager' }], mode: 'any' }, { name: 's', approvers: [{ type: 'manager' }], mode: 'any' }] }, 'steps/1/name'],
      [{ on_approve: { ghost: 1 } }, 'on_approve/ghost'],
      [{ on_approve: { created_at: '2020-01-01T00:00:00Z' } }, 'on_approve/created_at'],
      [{ on_approve: { stage: 'nonsense' } }, 'on_approve/stage'],
      [{ on_recall: { probability: 'abc' } }, 'on_recall/probability'],
      [{ on_reject: { probability: { var: 'ghost' } } }, 'on_reject/probability'],
      [{ extra: true }, 'extra'],
    ];
    for (const [patch, path] of cases) {
      const error = await expectCrmError(engine.approvalProcesses.create(systemActor, 'deal', { ...base, ...patch }), 'metadata_invalid');
      expect(error.fields.some((f) => f.path.startsWith(path)), `${JSON.stringify(patch)} -> ${JSON.stringify(error.fields)}`).toBe(true);
    }
    // A constant is checked like a field default, and the refusal says why.
    const literal = await expectCrmError(engine.approvalProcesses.create(systemActor, 'deal', { ...base, on_approve: { probability: 'abc', stage: 'approved' }, on_reject: { stage: 'nonsense' } }), 'metadata_invalid');
    expect(literal.fields.map((f) => f.path)).toEqual(['on_approve/probability', 'on_reject/stage']);
    expect(literal.message).toContain('on_approve/probability "abc" is not');
    expect(literal.message).toContain('on_reject/stage "nonsense" is not one of the options');
    await expectCrmError(engine.approvalProcesses.create(world.manager, 'deal', base), 'forbidden');
    await expectCrmError(engine.approvalProcesses.list(world.manager, 'deal'), 'forbidden');
    await expectCrmError(engine.approvalProcesses.create(systemActor, 'deal', { ...base, name: 'big_deal' }), 'name_taken');
    await expectCrmError(engine.approvalProcesses.get(systemActor, 'deal', 'ghost'), 'approval_process_not_found');
    // A user approver who exists is fine (and stored lower-case).
    const ok = await engine.approvalProcesses.create(systemActor, 'deal', { ...base, name: 'p_ok', active: false, steps: [{ name: 's', approvers: [{ type: 'user', user_id: ids.fin1!.toUpperCase() }], mode: 'any' }] });
    expect(ok.steps[0]!.approvers[0]).toEqual({ type: 'user', user_id: ids.fin1 });
    // Deleting a role or a field a process uses is refused, naming the process; renaming a field follows through.
    await expectCrmError(engine.roles.delete(systemActor, 'deal_finance'), 'dependency_exists');
    await engine.fields.create(systemActor, 'deal', { name: 'gate', type: 'boolean', label: 'Gate' });
    await engine.approvalProcesses.update(systemActor, 'deal', 'p_ok', { entry_criteria: { '==': [{ var: 'gate' }, true] }, on_recall: { gate: false } });
    const refused = await expectCrmError(engine.fields.delete(systemActor, 'deal', 'gate'), 'dependency_exists');
    expect(refused.fields.some((f) => f.path.startsWith('objects/deal/approval_processes/p_ok/entry_criteria')), JSON.stringify(refused.fields)).toBe(true);
    await engine.fields.update(systemActor, 'deal', 'gate', { name: 'gate2' });
    expect(await engine.approvalProcesses.get(systemActor, 'deal', 'p_ok')).toMatchObject({ entry_criteria: { '==': [{ var: 'gate2' }, true] }, on_recall: { gate2: false } });
    await engine.approvalProcesses.delete(systemActor, 'deal', 'p_ok');
    await engine.fields.delete(systemActor, 'deal', 'gate2');
  });
});

describe('submitting', () => {
  it('refuses a record that does not meet the entry criteria, a record the submitter cannot edit, and a second pending request', async () => {
    const { engine } = world;
    await useProcess({ name: 'big_deal2', entry_criteria: { '>': [{ var: 'amount' }, 500000] }, steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' }] });
    const small = await deal({ amount: 1000 });
    await expectCrmError(engine.approvals.submit(world.rep, 'deal', small, {}), 'approval_not_applicable');
    await expectCrmError(engine.approvals.submit(world.rep, 'deal', small, { process: 'big_deal2' }), 'approval_criteria_not_met');
    await expectCrmError(engine.approvals.submit(world.rep, 'deal', small, { process: 'ghost' }), 'approval_process_not_found');
    await expectCrmError(engine.approvals.submit(world.rep, 'deal', small, { process: 'big_deal' }), 'approval_process_inactive');
    await expectCrmError(engine.approvals.submit(world.rep, 'deal', small, { colour: 'red' }), 'validation_failed');
    const big = await deal({ amount: 600000 });
    await expectCrmError(engine.approvals.submit(world.otherRep, 'deal', big, {}), 'record_not_found');
    await expectCrmError(engine.approvals.submit(world.fin1, 'deal', big, {}), 'forbidden');
    const request = await engine.approvals.submit(world.rep, 'deal', big, { comment: 'please' });
    expect(request).toMatchObject({ status: 'pending', process: 'big_deal2', current_step: 'manager', comment: 'please', submitted_by: world.ids.rep });
    await expectCrmError(engine.approvals.submit(world.rep, 'deal', big, {}), 'approval_pending');
    expect(await engine.approvals.history(world.rep, 'deal', small)).toEqual([]);
  });

  it('skips a step whose criteria are false, and applies the field updates on approval', async () => {
    const { engine } = world;
    await useProcess({
      name: 'big_deal',
      entry_criteria: { '>': [{ var: 'amount' }, 500000] },
      steps: [
        { name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' },
        { name: 'finance', criteria: { '>': [{ var: 'amount' }, 2000000] }, approvers: [{ type: 'role', role: 'deal_finance' }], mode: 'all' },
      ],
      on_approve: { probability: 80, stage: 'approved' },
    });
    const id = await deal({ amount: 600000, probability: 20 });
    const submitted = await engine.approvals.submit(world.rep, 'deal', id, {});
    const approved = await engine.approvals.approve(world.manager, submitted.id, { comment: 'fine' });
    expect(approved).toMatchObject({ status: 'approved', current_step: null });
    expect(approved.steps.map((s) => [s.name, s.status])).toEqual([['manager', 'approved'], ['finance', 'skipped']]);
    expect(approved.actions.map((a) => [a.action, a.step])).toEqual([['submitted', null], ['approved', 'manager'], ['skipped', 'finance']]);
    expect(await engine.records.get(systemActor, 'deal', id)).toMatchObject({ probability: '80.00', stage: 'approved' });

    // Over 2,000,000 the finance step runs too, and needs every holder of the finance role ("all").
    const huge = await deal({ amount: 3000000 });
    const request = await engine.approvals.submit(world.rep, 'deal', huge, {});
    await engine.approvals.approve(world.manager, request.id, {});
    expect((await engine.approvals.approve(world.fin1, request.id, {})).current_step).toBe('finance');
    expect((await engine.approvals.approve(world.fin2, request.id, {})).current_step).toBe('finance');
    await expectCrmError(engine.approvals.approve(world.fin2, request.id, {}), 'approval_already_decided');
    expect((await engine.records.get(systemActor, 'deal', huge)).stage).toBe('open');
    const done = await engine.approvals.approve(world.reviewer, request.id, {});
    expect(done.status).toBe('approved');
    expect(done.steps.find((s) => s.name === 'finance')!.approvers.map((a) => a.status)).toEqual(['approved', 'approved', 'approved']);
    expect((await engine.records.get(systemActor, 'deal', huge)).stage).toBe('approved');
  });

  it('"any" completes a step with the first approval; the other approvers are told it was already decided', async () => {
    const { engine } = world;
    await useProcess({ name: 'finance_any', entry_criteria: true, steps: [{ name: 'finance', approvers: [{ type: 'role', role: 'deal_finance' }], mode: 'any' }], on_approve: { stage: 'approved' } });
    const id = await deal({ amount: 10 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, {});
    expect(request.steps[0]!.approvers.map((a) => a.user_id).sort()).toEqual([world.ids.fin1, world.ids.fin2, world.ids.reviewer].sort());
    const done = await engine.approvals.approve(world.fin2, request.id, {});
    expect(done.status).toBe('approved');
    expect(done.steps[0]!.approvers.filter((a) => a.status === 'cancelled')).toHaveLength(2);
    await expectCrmError(engine.approvals.approve(world.fin1, request.id, {}), 'approval_already_decided');
    await expectCrmError(engine.approvals.reject(world.fin1, request.id, { comment: 'late' }), 'approval_already_decided');
  });

  it('finds the manager N levels up, and refuses at submission when there is none', async () => {
    const { engine } = world;
    await useProcess({ name: 'levels', entry_criteria: true, steps: [{ name: 'up', approvers: [{ type: 'manager', levels: 2 }], mode: 'any' }] });
    const id = await deal({ amount: 10 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, {});
    expect(request.steps[0]!.approvers.map((a) => a.user_id)).toEqual([world.ids.senior]);
    await useProcess({ name: 'too_high', entry_criteria: true, steps: [{ name: 'up', approvers: [{ type: 'manager', levels: 4 }], mode: 'any' }] });
    const other = await deal({ amount: 10 });
    const error = await expectCrmError(engine.approvals.submit(world.rep, 'deal', other, {}), 'approval_no_approver');
    expect(error.message).toContain('no manager 4 level(s) up');
    expect(await engine.approvals.history(world.rep, 'deal', other)).toEqual([]);
  });

  it('asks the user a field of the record names', async () => {
    const { engine } = world;
    await useProcess({ name: 'by_field', entry_criteria: true, steps: [{ name: 'review', approvers: [{ type: 'field', field: 'reviewer' }], mode: 'any' }] });
    const id = await deal({ amount: 10, reviewer: world.ids.reviewer });
    const request = await engine.approvals.submit(world.rep, 'deal', id, {});
    expect(request.steps[0]!.approvers.map((a) => a.user_id)).toEqual([world.ids.reviewer]);
    expect((await engine.approvals.inbox(world.reviewer)).map((e) => e.request_id)).toContain(request.id);
    const empty = await deal({ amount: 10 });
    await expectCrmError(engine.approvals.submit(world.rep, 'deal', empty, {}), 'approval_no_approver');
  });
});

describe('process lifecycle', () => {
  it('approves at once when every step is skipped, and keeps running requests when a process is deactivated or changed', async () => {
    const { engine } = world;
    await useProcess({ name: 'skippy', entry_criteria: true, steps: [{ name: 'never', criteria: false, approvers: [{ type: 'manager' }], mode: 'any' }], on_approve: { stage: 'approved' } });
    const id = await deal({ amount: 5 });
    const auto = await engine.approvals.submit(world.rep, 'deal', id, {});
    expect(auto).toMatchObject({ status: 'approved', current_step: null });
    expect(auto.actions.map((a) => a.action)).toEqual(['submitted', 'skipped', 'approved']);
    expect((await engine.records.get(systemActor, 'deal', id)).stage).toBe('approved');

    await useProcess({ name: 'lifecycle', entry_criteria: true, steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' }] });
    const other = await deal({ amount: 5 });
    const request = await engine.approvals.submit(world.rep, 'deal', other, {});
    const pending = await expectCrmError(engine.approvalProcesses.delete(systemActor, 'deal', 'lifecycle'), 'dependency_exists');
    expect(pending.messageIn('zh-CN')).toBe('无法删除 审批流程 `deal.lifecycle`（Process）：它正被 1 个待处理的审批请求 使用');
    await engine.approvalProcesses.update(systemActor, 'deal', 'lifecycle', { active: false, steps: [{ name: 'other', approvers: [{ type: 'role', role: 'deal_finance' }], mode: 'all' }] });
    // Still locked, still decided by the step it was submitted with.
    await expectCrmError(engine.records.update(world.rep, 'deal', other, { title: 'x' }), 'record_locked');
    expect((await engine.approvals.approve(world.manager, request.id, {})).status).toBe('approved');
    await engine.approvalProcesses.delete(systemActor, 'deal', 'lifecycle');
  });
});

describe('deciding', () => {
  it('requires a comment to reject where the step says so, and applies the rejection updates', async () => {
    const { engine } = world;
    await useProcess({
      name: 'strict',
      entry_criteria: true,
      steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any', require_comment_on_reject: true }],
      on_reject: { stage: 'rejected', notes: { cat: ['rejected at ', { var: 'amount' }] } },
    });
    const id = await deal({ amount: 1234 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, {});
    const error = await expectCrmError(engine.approvals.reject(world.manager, request.id, {}), 'validation_failed');
    expect(error.fields).toEqual([{ path: 'comment', code: 'required' }]);
    await expectCrmError(engine.approvals.reject(world.manager, request.id, { comment: '   ' }), 'validation_failed');
    await expectCrmError(engine.approvals.approve(world.rep, request.id, {}), 'forbidden');
    await expectCrmError(engine.approvals.approve(world.stranger, request.id, {}), 'approval_request_not_found');
    const rejected = await engine.approvals.reject(world.manager, request.id, { comment: 'too cheap' });
    expect(rejected).toMatchObject({ status: 'rejected', current_step: null });
    expect(rejected.actions.at(-1)).toMatchObject({ action: 'rejected', step: 'manager', actor_id: world.ids.manager, comment: 'too cheap' });
    expect(await engine.records.get(systemActor, 'deal', id)).toMatchObject({ stage: 'rejected', notes: 'rejected at 1234' });
    // Decided: the record is open for editing again, and may be submitted anew.
    await engine.records.update(world.rep, 'deal', id, { title: 'Deal v2' });
    await engine.approvals.submit(world.rep, 'deal', id, {});
    expect((await engine.approvals.history(world.rep, 'deal', id)).map((r) => r.status)).toEqual(['pending', 'rejected']);
  });

  it('lets the submitter recall (applying the recall updates), and nobody else but an administrator', async () => {
    const { engine } = world;
    await useProcess({ name: 'recallable', entry_criteria: true, steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' }], on_recall: { stage: 'draft' } });
    const id = await deal({ amount: 5 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, {});
    await expectCrmError(engine.approvals.recall(world.manager, request.id, {}), 'forbidden');
    await expectCrmError(engine.approvals.recall(world.otherRep, request.id, {}), 'approval_request_not_found');
    const recalled = await engine.approvals.recall(world.rep, request.id, { comment: 'wrong amount' });
    expect(recalled).toMatchObject({ status: 'recalled', current_step: null });
    expect(recalled.steps[0]!.status).toBe('cancelled');
    expect(recalled.actions.at(-1)).toMatchObject({ action: 'recalled', actor_id: world.ids.rep, comment: 'wrong amount' });
    expect((await engine.records.get(systemActor, 'deal', id)).stage).toBe('draft');
    await expectCrmError(engine.approvals.recall(world.rep, request.id, {}), 'approval_already_decided');
    await expectCrmError(engine.approvals.approve(world.manager, request.id, {}), 'approval_already_decided');
    const again = await engine.approvals.submit(world.rep, 'deal', id, {});
    expect((await engine.approvals.recall(world.admin, again.id, {})).status).toBe('recalled');
  });

  it('reassigns a task: by its approver, or by an administrator', async () => {
    const { engine } = world;
    await useProcess({ name: 'handover', entry_criteria: true, steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' }] });
    const id = await deal({ amount: 5 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, {});
    await expectCrmError(engine.approvals.reassign(world.rep, request.id, { to_user_id: world.ids.fin1 }), 'forbidden');
    await expectCrmError(engine.approvals.reassign(world.manager, request.id, {}), 'validation_failed');
    await expectCrmError(engine.approvals.reassign(world.manager, request.id, { to_user_id: world.ids.manager }), 'validation_failed');
    await expectCrmError(engine.approvals.reassign(world.manager, request.id, { to_user_id: '00000000-0000-4000-8000-000000000999' }), 'validation_failed');
    const moved = await engine.approvals.reassign(world.manager, request.id, { to_user_id: world.ids.senior, comment: 'on leave' });
    expect(moved.steps[0]!.approvers.map((a) => [a.user_id, a.status])).toEqual([[world.ids.manager, 'reassigned'], [world.ids.senior, 'pending']]);
    expect(moved.actions.at(-1)).toMatchObject({ action: 'reassigned', actor_id: world.ids.manager, to_user_id: world.ids.senior, comment: 'on leave' });
    expect((await engine.approvals.inbox(world.manager)).map((e) => e.request_id)).not.toContain(request.id);
    expect((await engine.approvals.inbox(world.senior)).map((e) => e.request_id)).toContain(request.id);
    await expectCrmError(engine.approvals.approve(world.manager, request.id, {}), 'approval_already_decided');
    // An administrator hands it on again (one approver waits, so no from_user_id is needed).
    await engine.approvals.reassign(world.admin, request.id, { to_user_id: world.ids.director });
    expect((await engine.approvals.approve(world.director, request.id, {})).status).toBe('approved');
  });

  it("shows each approver their own waiting tasks with the record's title", async () => {
    const { engine } = world;
    await useProcess({ name: 'inbox', entry_criteria: true, steps: [{ name: 'manager', label: 'Manager review', approvers: [{ type: 'manager' }], mode: 'any' }] });
    const id = await deal({ title: 'Inbox deal', amount: 5 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, { comment: 'for you' });
    const entry = (await engine.approvals.inbox(world.manager)).find((e) => e.request_id === request.id);
    expect(entry).toMatchObject({ object: 'deal', record_id: id, title: 'Inbox deal', process: 'inbox', step: 'manager', step_label: 'Manager review', mode: 'any', comment: 'for you', submitted_by: { id: world.ids.rep, name: 'Rep' } });
    expect((await engine.approvals.inbox(world.rep)).map((e) => e.request_id)).not.toContain(request.id);
    expect((await engine.approvals.inbox(world.fin1)).map((e) => e.request_id)).not.toContain(request.id);
    await engine.approvals.approve(world.manager, request.id, {});
    expect((await engine.approvals.inbox(world.manager)).map((e) => e.request_id)).not.toContain(request.id);
  });
});

describe('a record awaiting approval', () => {
  it('is locked against updates, deletes, bulk updates and transfers, except for administrators', async () => {
    const { engine } = world;
    await useProcess({ name: 'locking', entry_criteria: true, steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' }] });
    const id = await deal({ amount: 5 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, {});
    const locked = await expectCrmError(engine.records.update(world.rep, 'deal', id, { title: 'changed' }), 'record_locked');
    expect(locked.status).toBe(409);
    // Named as the person who tried knows it: the object's label and the record's title.
    expect(locked.messageIn('en')).toBe('Deal "Deal" is awaiting approval: it cannot be changed until the request is decided or recalled');
    expect(locked.messageIn('zh-CN')).toBe('Deal「Deal」正在等待审批：在审批完成或撤回之前不能修改');
    await expectCrmError(engine.records.update(world.manager, 'deal', id, { title: 'changed' }), 'record_locked');
    // A title hidden from the caller is not told by the refusal: the record is named by its id.
    await engine.roles.update(systemActor, 'deal_manager', { objects: { deal: { read: true, edit: true, read_scope: 'all', fields: { title: 'hidden' } } } });
    try {
      const blind = await expectCrmError(engine.records.update(world.manager, 'deal', id, { notes: 'changed' }), 'record_locked');
      expect(blind.messageIn('en')).toBe(`Deal "${id}" is awaiting approval: it cannot be changed until the request is decided or recalled`);
    } finally {
      await engine.roles.update(systemActor, 'deal_manager', { objects: { deal: { read: true, edit: true, read_scope: 'all' } } });
    }
    await expectCrmError(engine.records.delete(world.rep, 'deal', id), 'record_locked');
    await expectCrmError(engine.records.transfer(world.rep, 'deal', [id], world.ids.rep), 'record_locked');
    const bulk = await engine.records.bulk(world.rep, 'deal', { operation: 'update', records: [{ id, title: 'changed' }] });
    expect(bulk.results[0]!.error?.code).toBe('record_locked');
    expect((await engine.records.get(systemActor, 'deal', id)).title).toBe('Deal');
    await engine.records.update(world.admin, 'deal', id, { title: 'admin fix' });
    await engine.approvals.approve(world.manager, request.id, {});
    await engine.records.update(world.rep, 'deal', id, { title: 'after' });
    // Other records of the object are not affected.
    const free = await deal({ amount: 5 });
    await engine.records.update(world.rep, 'deal', free, { title: 'free' });
  });

  it('has a history only those who can read the record can see', async () => {
    const { engine } = world;
    await useProcess({ name: 'hist', entry_criteria: true, steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' }] });
    const id = await deal({ amount: 5 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, { comment: 'c1' });
    await engine.approvals.approve(world.manager, request.id, { comment: 'ok' });
    const history = await engine.approvals.history(world.rep, 'deal', id);
    expect(history).toHaveLength(1);
    expect(history[0]!.actions.map((a) => [a.action, a.actor_id, a.comment])).toEqual([
      ['submitted', world.ids.rep, 'c1'],
      ['approved', world.ids.manager, 'ok'],
    ]);
    expect(history[0]!.actions.every((a) => typeof a.at === 'string')).toBe(true);
    await expectCrmError(engine.approvals.history(world.otherRep, 'deal', id), 'record_not_found');
    await expectCrmError(engine.approvals.history(world.stranger, 'deal', id), 'forbidden');
  });
});

describe('concurrency', () => {
  it('advances an "any" step exactly once when its approvers act at the same moment', async () => {
    const { engine } = world;
    await useProcess({
      name: 'race',
      entry_criteria: true,
      steps: [
        { name: 'finance', approvers: [{ type: 'role', role: 'deal_finance' }], mode: 'any' },
        { name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' },
      ],
    });
    for (let round = 0; round < 3; round += 1) {
      const id = await deal({ amount: 5 });
      const request = await engine.approvals.submit(world.rep, 'deal', id, {});
      const outcomes = await Promise.allSettled([world.fin1, world.fin2, world.reviewer].map((who) => engine.approvals.approve(who, request.id, { step: 'finance' })));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((o) => (o.reason as { code?: string }).code)).toEqual(['approval_already_decided', 'approval_already_decided']);
      const [view] = await engine.approvals.history(world.rep, 'deal', id);
      expect(view!.current_step).toBe('manager');
      expect(view!.steps.map((s) => [s.name, s.status])).toEqual([['finance', 'approved'], ['manager', 'pending']]);
      expect(view!.actions.filter((a) => a.action === 'approved')).toHaveLength(1);
    }
    // A decision names the step it was made on: one that moved on is not decided by it.
    const id = await deal({ amount: 5 });
    const request = await engine.approvals.submit(world.rep, 'deal', id, {});
    await engine.approvals.approve(world.fin1, request.id, { step: 'finance' });
    await expectCrmError(engine.approvals.approve(world.manager, request.id, { step: 'finance' }), 'approval_already_decided');
    expect((await engine.approvals.approve(world.manager, request.id, { step: 'manager' })).status).toBe('approved');
    await expectCrmError(engine.approvals.recall(world.rep, request.id, { step: 'finance' }), 'validation_failed');
  });

  it('never lets an edit and a submission of one record cross', async () => {
    const { engine } = world;
    await useProcess({ name: 'cross', entry_criteria: true, steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' }] });
    const id = await deal({ amount: 5 });
    const [submitted, updated] = await Promise.allSettled([engine.approvals.submit(world.rep, 'deal', id, {}), engine.records.update(world.rep, 'deal', id, { title: 'raced' })]);
    expect(submitted.status).toBe('fulfilled');
    // Either the edit ran first (and the submission after it), or it was refused as locked.
    if (updated.status === 'rejected') expect((updated.reason as { code?: string }).code).toBe('record_locked');
    const submitters = await Promise.allSettled([1, 2].map(() => engine.approvals.submit(world.rep, 'deal', id, {})));
    expect(submitters.every((s) => s.status === 'rejected' && (s.reason as { code?: string }).code === 'approval_pending')).toBe(true);
  });
});


