import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor, userActor, type Actor } from '../actors';
import type { Engine } from '../engine';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

// Deliveries are only enqueued here (no worker runs): settings that let workflows with webhooks and email be saved.
const harness = useTestEngine({ delivery: { webhook: { secret: 'whsec_engine_tests' }, mail: { smtpUrl: 'smtp://127.0.0.1:2525' } } });

interface World {
  engine: Engine;
  rep: Actor;
  ids: Record<string, string>;
}
let world: World;

const STAGES = ['new', 'proposal', 'won', 'lost'].map((value) => ({ value, label: value }));

/** A fresh deal object (with its task object) so each test's workflows stand alone. */
async function deals(): Promise<{ deal: string; task: string }> {
  const { engine } = world;
  const deal = uniqueName('deal');
  const task = uniqueName('task');
  await engine.objects.create(systemActor, {
    name: deal,
    label: 'Deal',
    fields: [
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'amount', type: 'currency', label: 'Amount' },
      { name: 'stage', type: 'select', label: 'Stage', options: STAGES },
      { name: 'flagged', type: 'boolean', label: 'Flagged' },
      { name: 'notes', type: 'text', label: 'Notes' },
      { name: 'score', type: 'integer', label: 'Score' },
      { name: 'contact_email', type: 'email', label: 'Contact email' },
    ],
  });
  await engine.objects.create(systemActor, {
    name: task,
    label: 'Task',
    fields: [
      { name: 'subject', type: 'text', label: 'Subject', required: true },
      { name: 'deal', type: 'lookup', label: 'Deal', target: deal },
      { name: 'done', type: 'boolean', label: 'Done' },
    ],
  });
  return { deal, task };
}

const runsOf = async (workflow: string) => world.engine.workflowRuns.list(systemActor, { workflow, limit: 100 });

beforeAll(async () => {
  const { engine } = harness();
  await engine.roles.create(systemActor, { name: 'wf_rep', label: 'Rep', objects: { '*': { read: true, create: true, edit: true, delete: true, read_scope: 'own', edit_scope: 'own' } } });
  const user = async (name: string, roles: string[]) => (await engine.users.create(systemActor, { name, email: `${name.toLowerCase()}@example.com`, roles })).id;
  const ids: Record<string, string> = {};
  ids.rep = await user('Rep', ['wf_rep']);
  ids.rep2 = await user('Rep2', ['wf_rep']);
  ids.rep3 = await user('Rep3', ['wf_rep']);
  ids.admin = await user('Admin', ['administrator']);
  world = { engine, rep: userActor(ids.rep), ids };
});

describe('record-triggered workflows', () => {
  it('runs on create when the condition holds: updates the record, creates a follow-up task, notifies the owner, all in the write', async () => {
    const { engine, rep, ids } = world;
    const { deal, task } = await deals();
    await engine.workflows.create(systemActor, deal, {
      name: 'big_deal_follow_up',
      trigger: { type: 'record', events: ['created'], condition: { '>': [{ var: 'amount' }, 100000] } },
      actions: [
        { type: 'update_record', values: { flagged: true, notes: { cat: ['big: ', { var: 'title' }] } } },
        { type: 'create_record', object: task, values: { subject: { cat: ['Call about ', { var: 'title' }] }, deal: { var: 'id' } } },
        { type: 'notify', recipients: [{ field: 'owner_id' }], title: 'New big deal {{title}}', body: 'Amount {{amount}}' },
      ],
    });
    const big = await engine.records.create(rep, deal, { title: 'Acme', amount: '250000' });
    // The caller gets the record as the workflow left it.
    expect(big).toMatchObject({ flagged: true, notes: 'big: Acme', version: 2, created_by: ids.rep, updated_by: ids.rep });
    const tasks = await engine.records.list(systemActor, task, { filter: { '==': [{ var: 'deal' }, big.id] } });
    expect(tasks.data).toMatchObject([{ subject: 'Call about Acme', created_by: ids.rep, owner_id: ids.rep }]);
    const notes = await engine.notifications.list(rep);
    expect(notes[0]).toMatchObject({ title: 'New big deal Acme', body: 'Amount 250,000.00', object: deal, record_id: big.id, workflow: 'big_deal_follow_up', read_at: null });
    await expect(engine.notifications.markRead(rep, notes[0]!.id)).resolves.toMatchObject({ read_at: expect.any(String) });
    await expectCrmError(engine.notifications.markRead(userActor(ids.rep2!), notes[0]!.id), 'notification_not_found');

    const small = await engine.records.create(rep, deal, { title: 'Tiny', amount: '10' });
    expect(small).toMatchObject({ flagged: null, version: 1 });
    const runs = await runsOf('big_deal_follow_up');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ object: deal, record_id: big.id, trigger: 'created', actor_id: ids.rep, depth: 0, outcome: 'completed', conditions: { event: 'created', condition: true } });
    expect(runs[0]!.actions.map((a) => a.outcome)).toEqual(['done', 'done', 'done']);
    await expectCrmError(engine.workflowRuns.list(rep), 'forbidden');
  });

  it("answers with the record as a created child left it: through a rollup, and through the child's own workflow", async () => {
    const { engine, rep } = world;
    const { deal, task } = await deals();
    await engine.fields.create(systemActor, deal, { name: 'open_tasks', type: 'rollup', label: 'Open tasks', child_object: task, relationship_field: 'deal', aggregate: 'count' });
    await engine.workflows.create(systemActor, deal, {
      name: 'first_task',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'create_record', object: task, values: { subject: 'First call', deal: { var: 'id' } } }],
    });
    const created = await engine.records.create(rep, deal, { title: 'Counted' });
    expect(created).toMatchObject({ open_tasks: 1 });
    // A child whose own workflow writes back to the deal it was made for (no rollup between them).
    const other = await deals();
    await engine.workflows.create(systemActor, other.deal, {
      name: 'first_task',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'create_record', object: other.task, values: { subject: 'First call', deal: { var: 'id' } } }],
    });
    await engine.workflows.create(systemActor, other.task, {
      name: 'mark_deal',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'update_record', target: 'deal', values: { notes: { cat: ['task: ', { var: 'subject' }] } } }],
    });
    const marked = await engine.records.create(rep, other.deal, { title: 'Marked' });
    expect(marked).toMatchObject({ notes: 'task: First call', version: 2 });
    expect(await engine.records.get(rep, other.deal, marked.id as string)).toMatchObject({ notes: 'task: First call', version: 2 });
  });

  it('runs on update only when a named field changed, and with becomes_true only when the condition turns true', async () => {
    const { engine, rep } = world;
    const { deal } = await deals();
    await engine.workflows.create(systemActor, deal, {
      name: 'score_on_stage',
      trigger: { type: 'record', events: ['updated'], fields: ['stage'] },
      actions: [{ type: 'update_record', values: { score: { '+': [{ var: 'score' }, 1] } } }],
    });
    await engine.workflows.create(systemActor, deal, {
      name: 'won_once',
      trigger: { type: 'record', events: ['created', 'updated'], condition: { '==': [{ var: 'stage' }, 'won'] }, becomes_true: true },
      actions: [{ type: 'update_record', values: { notes: { cat: [{ if: [{ var: 'notes' }, { var: 'notes' }, ''] }, 'won;'] } } }],
    });
    const record = await engine.records.create(rep, deal, { title: 'D', stage: 'new', score: 0 });
    const id = record.id as string;
    expect((await engine.records.update(rep, deal, id, { title: 'D2' })).score).toBe(0);
    expect(await engine.records.update(rep, deal, id, { stage: 'won' })).toMatchObject({ score: 1, notes: 'won;' });
    // Still won: the condition holds but did not become true.
    expect(await engine.records.update(rep, deal, id, { title: 'D3' })).toMatchObject({ score: 1, notes: 'won;' });
    expect(await engine.records.update(rep, deal, id, { stage: 'lost' })).toMatchObject({ score: 2, notes: 'won;' });
    expect(await engine.records.update(rep, deal, id, { stage: 'won' })).toMatchObject({ score: 3, notes: 'won;won;' });
    // Created already won: there was nothing before, so it became true.
    expect(await engine.records.create(rep, deal, { title: 'W', stage: 'won' })).toMatchObject({ notes: 'won;' });
    expect((await runsOf('won_once')).map((r) => r.conditions)).toContainEqual({ event: 'updated', condition: true, was: false });
    // Bulk rows run their workflows too, each behind its savepoint.
    const bulk = await engine.records.bulk(rep, deal, { operation: 'update', records: [{ id, stage: 'proposal' }] });
    expect(bulk.results[0]!.record).toMatchObject({ score: 4 });
  });

  it('runs on delete and restore, and can update a related record', async () => {
    const { engine, rep } = world;
    const { deal, task } = await deals();
    await engine.workflows.create(systemActor, task, {
      name: 'task_gone',
      trigger: { type: 'record', events: ['deleted', 'restored'] },
      actions: [{ type: 'update_record', target: 'deal', values: { notes: { cat: [{ var: '$old.subject' }, ' ', { if: [{ var: 'deleted_at' }, 'deleted', 'restored'] }] } } }],
    });
    const d = await engine.records.create(rep, deal, { title: 'Parent' });
    const t = await engine.records.create(rep, task, { subject: 'Call', deal: d.id });
    await engine.records.delete(rep, task, t.id as string);
    expect((await engine.records.get(rep, deal, d.id as string)).notes).toBe('Call deleted');
    await engine.records.restore(rep, task, t.id as string);
    expect((await engine.records.get(rep, deal, d.id as string)).notes).toBe('Call restored');
    expect((await runsOf('task_gone')).map((r) => r.trigger).sort()).toEqual(['deleted', 'restored']);
  });

  it('rolls the whole write back when a synchronous action fails, naming the workflow and action, and logs the failed run', async () => {
    const { engine, rep } = world;
    const { deal, task } = await deals();
    await engine.workflows.create(systemActor, deal, {
      name: 'broken_follow_up',
      trigger: { type: 'record', events: ['created', 'updated'], condition: { '==': [{ var: 'stage' }, 'won'] }, becomes_true: true },
      actions: [
        { type: 'update_record', values: { notes: 'touched' } },
        // The task's subject is required and left out: the create fails.
        { name: 'make_task', type: 'create_record', object: task, values: { deal: { var: 'id' } } },
      ],
    });
    const error = await expectCrmError(engine.records.create(rep, deal, { title: 'Will fail', stage: 'won' }), 'workflow_failed');
    expect(error.status).toBe(422);
    expect(error.params).toMatchObject({ workflow: 'broken_follow_up', object: deal, action: 'make_task', cause: 'validation_failed' });
    expect(error.message).toContain('Subject is required');
    expect(error.messageIn('zh-CN')).toContain('broken_follow_up');
    expect((await engine.records.list(systemActor, deal, { count: true })).total).toBe(0);
    expect((await engine.records.list(systemActor, task, { count: true })).total).toBe(0);
    // An update rolls back the same way: the record keeps its stage.
    const kept = await engine.records.create(rep, deal, { title: 'Kept', stage: 'new' });
    await expectCrmError(engine.records.update(rep, deal, kept.id as string, { stage: 'won' }), 'workflow_failed');
    expect(await engine.records.get(rep, deal, kept.id as string)).toMatchObject({ stage: 'new', notes: null, version: 1 });
    const runs = await runsOf('broken_follow_up');
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ outcome: 'failed', error: { code: 'validation_failed' } });
    expect(runs[0]!.actions.map((a) => [a.action, a.outcome])).toEqual([
      ['1:update_record', 'done'],
      ['make_task', 'failed'],
    ]);
  });

  it('stops workflows that trigger each other at the depth limit, with a clear error and nothing written', async () => {
    const { engine, rep } = world;
    const { deal, task } = await deals();
    // A deal change adds a task; a new task writes its deal; and so on.
    await engine.workflows.create(systemActor, deal, {
      name: 'ping',
      trigger: { type: 'record', events: ['updated'] },
      actions: [{ type: 'create_record', object: task, values: { subject: { cat: ['ping ', { var: 'version' }] }, deal: { var: 'id' } } }],
    });
    await engine.workflows.create(systemActor, task, {
      name: 'pong',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'update_record', target: 'deal', values: { notes: { var: 'subject' } } }],
    });
    const d = await engine.records.create(rep, deal, { title: 'Loop', score: 0 });
    const error = await expectCrmError(engine.records.update(rep, deal, d.id as string, { score: 1 }), 'workflow_depth_exceeded');
    expect(error.status).toBe(422);
    expect(error.params).toMatchObject({ max: 5 });
    expect(await engine.records.get(rep, deal, d.id as string)).toMatchObject({ score: 0, version: 1 });
    expect((await engine.records.list(systemActor, task, { count: true })).total).toBe(0);
    const failed = (await runsOf('ping')).filter((r) => r.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
  });

  it('assigns owners round-robin in a role with a persistent counter, by rules, and shares records', async () => {
    const { engine, rep, ids } = world;
    const { deal } = await deals();
    await engine.workflows.create(systemActor, deal, {
      name: 'spread',
      trigger: { type: 'record', events: ['created'], condition: { '!': [{ var: 'flagged' }] } },
      actions: [
        { name: 'turn', type: 'assign_owner', round_robin: { role: 'wf_rep' } },
        { type: 'add_share', user_id: ids.admin, access: 'read' },
      ],
    });
    await engine.workflows.create(systemActor, deal, {
      name: 'vip',
      trigger: { type: 'record', events: ['created'], condition: { '!!': [{ var: 'flagged' }] } },
      actions: [{ type: 'assign_owner', rules: [{ when: { '>': [{ var: 'amount' }, 1000] }, user_id: ids.rep3 }], otherwise: { user_id: ids.rep2 } }],
    });
    const reps = [ids.rep, ids.rep2, ids.rep3].sort();
    const owners: string[] = [];
    for (let i = 0; i < 4; i += 1) owners.push((await engine.records.create(systemActor, deal, { title: `RR ${i}` })).owner_id as string);
    expect(owners).toEqual([reps[0], reps[1], reps[2], reps[0]]);
    const shared = await engine.shares.list(systemActor, deal, (await engine.records.list(systemActor, deal, { limit: 1 })).data[0]!.id as string);
    expect(shared.data).toMatchObject([{ user_id: ids.admin, access: 'read' }]);
    expect((await engine.records.create(rep, deal, { title: 'V', flagged: true, amount: '5000' })).owner_id).toBe(ids.rep3);
    expect((await engine.records.create(rep, deal, { title: 'v', flagged: true, amount: '5' })).owner_id).toBe(ids.rep2);
  });

  it('submits for approval in the write, and enqueues email keyed by run and action (webhooks: tests/workflows)', async () => {
    const { engine, rep, ids } = world;
    const { deal } = await deals();
    await engine.users.update(systemActor, ids.rep!, { manager_id: ids.admin });
    await engine.approvalProcesses.create(systemActor, deal, {
      name: 'big',
      label: 'Big',
      active: true,
      entry_criteria: { '>': [{ var: 'amount' }, 500000] },
      steps: [{ name: 'manager', approvers: [{ type: 'manager' }], mode: 'any' }],
    });
    await engine.workflows.create(systemActor, deal, {
      name: 'big_needs_approval',
      trigger: { type: 'record', events: ['created'], condition: { '>': [{ var: 'amount' }, 500000] } },
      actions: [
        { type: 'submit_for_approval', process: 'big', comment: 'Automatic' },
        { name: 'mail', type: 'send_email', to: [{ field: 'owner_id' }, { field: 'contact_email' }], subject: 'Deal {{title}}', text: 'Amount {{amount}}' },
      ],
    });
    const big = await engine.records.create(rep, deal, { title: 'Huge', amount: '900000', contact_email: 'buyer@example.com' });
    const history = await engine.approvals.history(rep, deal, big.id as string);
    expect(history).toMatchObject([{ status: 'pending', submitted_by: ids.rep, comment: 'Automatic' }]);
    await expectCrmError(engine.records.update(rep, deal, big.id as string, { title: 'x' }), 'record_locked');
    const [run] = await runsOf('big_needs_approval');
    const detail = run!.actions.map((a) => a.detail as { job_id?: string });
    const mail = await engine.jobs.get(systemActor, detail[1]!.job_id!);
    expect(mail).toMatchObject({ task: 'email', key: `workflow:${run!.id}:mail`, payload: { to: ['rep@example.com', 'buyer@example.com'], subject: 'Deal {{title}}', record: { title: 'Huge' } } });
    // A write that rolls back leaves no job behind.
    const jobsBefore = (await engine.jobs.list(systemActor, { limit: 500 })).length;
    await engine.workflows.update(systemActor, deal, 'big_needs_approval', { actions: [{ type: 'send_email', to: ['x@example.com'], subject: 's', text: 't' }, { type: 'update_record', values: { stage: { cat: ['no', 'pe'] } } }] });
    await expectCrmError(engine.records.create(rep, deal, { title: 'Huge 2', amount: '900000' }), 'workflow_failed');
    expect((await engine.jobs.list(systemActor, { limit: 500 })).length).toBe(jobsBefore);
  });
});

describe('what leaves the system', () => {
  const jobOf = (id: string) => world.engine.jobs.get(systemActor, id);
  const detailsOf = async (workflow: string, record: string) => {
    const [run] = await world.engine.workflowRuns.list(systemActor, { workflow, record });
    return Object.fromEntries(run!.actions.map((a) => [a.action, a.detail]));
  };

  it('sends webhooks and email with the record as committed: after its own run, later workflows and the workflows of records it made', async () => {
    const { engine, ids } = world;
    const { deal, task } = await deals();
    // In name order: a_ asks for its deliveries first, then changes the record itself; b_ changes
    // it, gives it another owner and makes a task, whose own workflow writes back to the deal.
    await engine.workflows.create(systemActor, deal, {
      name: 'a_announce',
      trigger: { type: 'record', events: ['created'] },
      actions: [
        { name: 'hook', type: 'webhook', url: 'https://erp.example.com/hooks/deal' },
        { name: 'custom', type: 'webhook', url: 'https://erp.example.com/hooks/custom', body: { notes: { var: 'notes' }, score: { var: 'score' }, was: { var: '$old.notes' } } },
        { name: 'mail', type: 'send_email', to: [{ field: 'owner_id' }], subject: '{{title}}: {{notes}}', text: 'Score {{score}}' },
        { name: 'tell', type: 'notify', recipients: [{ field: 'owner_id' }], title: '{{title}}: {{notes}}', body: 'Score {{score}}' },
        { name: 'flag', type: 'update_record', values: { flagged: true } },
      ],
    });
    await engine.workflows.create(systemActor, deal, {
      name: 'b_enrich',
      trigger: { type: 'record', events: ['created'] },
      actions: [
        { type: 'update_record', values: { notes: 'enriched', score: 7 } },
        { type: 'assign_owner', user_id: ids.rep2 },
        { type: 'create_record', object: task, values: { subject: 'Call', deal: { var: 'id' } } },
      ],
    });
    await engine.workflows.create(systemActor, task, {
      name: 'mark_deal',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'update_record', target: 'deal', values: { title: 'Acme (task made)' } }],
    });
    const created = await engine.records.create(systemActor, deal, { title: 'Acme' });
    const committed = await engine.records.get(systemActor, deal, created.id as string);
    expect(committed).toMatchObject({ title: 'Acme (task made)', notes: 'enriched', score: 7, flagged: true, owner_id: ids.rep2 });
    expect(created).toEqual(committed);

    const details = await detailsOf('a_announce', created.id as string);
    const hook = await jobOf(details.hook!.job_id as string);
    expect(hook.payload.body).toEqual({ workflow: 'a_announce', event: 'created', object: deal, record: committed, old: null, run_id: expect.any(String) });
    expect(details.hook).toEqual({ job_id: hook.id, delivery: hook.key });
    expect((await jobOf(details.custom!.job_id as string)).payload.body).toEqual({ notes: 'enriched', score: 7, was: null });
    // The email goes to the owner the record ended up with, rendered from the record as committed.
    const mail = await jobOf(details.mail!.job_id as string);
    expect(mail.payload).toEqual({ to: ['rep2@example.com'], subject: '{{title}}: {{notes}}', text: 'Score {{score}}', record: committed, field_texts: { title: 'Acme (task made)', notes: 'enriched', score: '7' } });
    expect(details.mail).toEqual({ job_id: mail.id, to: ['rep2@example.com'] });
    // So does the in-app notification: the same words as the email, to the same owner.
    const [notice] = (await engine.notifications.list(userActor(ids.rep2!))).filter((n) => n.record_id === created.id);
    expect(notice).toMatchObject({ title: 'Acme (task made): enriched', body: 'Score 7', workflow: 'a_announce' });
    expect(details.tell).toEqual({ recipients: [ids.rep2] });
  });

  it('notifies from the record as planned creates commit it, as the run after the insert does', async () => {
    const { engine, ids } = world;
    const { deal } = await deals();
    // Only updates of the new record and notifications: the create is planned (one statement).
    await engine.workflows.create(systemActor, deal, {
      name: 'a_tell',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ name: 'tell', type: 'notify', recipients: [{ user_id: ids.rep2! }], title: '{{title}} is {{stage}}', body: 'Score {{score}}' }],
    });
    await engine.workflows.create(systemActor, deal, {
      name: 'b_stage',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'update_record', values: { stage: 'won', score: 9 } }],
    });
    const created = await engine.records.create(systemActor, deal, { title: 'Planned', stage: 'new' });
    expect(created).toMatchObject({ stage: 'won', score: 9 });
    const [notice] = (await engine.notifications.list(userActor(ids.rep2!))).filter((n) => n.record_id === created.id);
    expect(notice).toMatchObject({ title: 'Planned is won', body: 'Score 9' });
    expect(await detailsOf('a_tell', created.id as string)).toEqual({ tell: { recipients: [ids.rep2] } });
  });

  it('sends an update\'s webhook with what the other workflows of that update wrote, and nothing for a write that fails afterwards', async () => {
    const { engine, rep } = world;
    const { deal } = await deals();
    await engine.workflows.create(systemActor, deal, {
      name: 'a_tell',
      trigger: { type: 'record', events: ['updated'], fields: ['stage'] },
      actions: [{ name: 'hook', type: 'webhook', url: 'https://erp.example.com/hooks/stage' }],
    });
    await engine.workflows.create(systemActor, deal, {
      name: 'b_score',
      trigger: { type: 'record', events: ['updated'], fields: ['stage'] },
      actions: [{ type: 'update_record', values: { score: { '+': [{ var: 'score' }, 10] } } }],
    });
    const record = await engine.records.create(rep, deal, { title: 'Beta', stage: 'new', score: 1 });
    const updated = await engine.records.update(rep, deal, record.id as string, { stage: 'proposal' });
    expect(updated).toMatchObject({ stage: 'proposal', score: 11, version: 3 });
    const details = await detailsOf('a_tell', record.id as string);
    const { body } = (await jobOf(details.hook!.job_id as string)).payload as { body: { record: unknown; old: unknown } };
    expect(body.record).toEqual(updated);
    expect(body.old).toMatchObject({ stage: 'new', score: 1, version: 1 });

    // A later workflow fails: nothing is written, no delivery is queued, and the failed run is logged.
    await engine.workflows.create(systemActor, deal, {
      name: 'c_refuse',
      trigger: { type: 'record', events: ['updated'], fields: ['stage'], condition: { '==': [{ var: 'stage' }, 'won'] } },
      actions: [{ name: 'bad', type: 'update_record', values: { stage: { cat: ['no', 'pe'] } } }],
    });
    const jobsBefore = (await engine.jobs.list(systemActor, { task: 'webhook', limit: 500 })).length;
    await expectCrmError(engine.records.update(rep, deal, record.id as string, { stage: 'won' }), 'workflow_failed');
    expect((await engine.jobs.list(systemActor, { task: 'webhook', limit: 500 })).length).toBe(jobsBefore);
    expect(await engine.records.get(rep, deal, record.id as string)).toMatchObject({ stage: 'proposal', score: 11 });
  });

  it('logs the runs of a write in its transaction: the log rows are stored when the write returns', async () => {
    const { engine, rep } = world;
    const { deal } = await deals();
    await engine.workflows.create(systemActor, deal, {
      name: 'logged_now',
      trigger: { type: 'record', events: ['created', 'updated'], fields: ['title'] },
      actions: [{ type: 'update_record', values: { score: { '+': [{ var: 'score' }, 1] } } }],
    });
    const stored = async (id: string) =>
      (await engine.database.db.selectFrom('crm_meta.workflow_runs').select(['trigger']).where('record_id', '=', id).orderBy('started_at').execute()).map((r) => r.trigger);
    // Read from the table, not through the run log API: nothing may be waiting to be written.
    const created = await engine.records.create(rep, deal, { title: 'Logged', score: 0 });
    expect(await stored(created.id as string)).toEqual(['created']);
    await engine.records.update(rep, deal, created.id as string, { title: 'Logged again' });
    expect(await stored(created.id as string)).toEqual(['created', 'updated']);
  });
});

describe('workflows as metadata', () => {
  it('checks what a workflow names and keeps it in step with field renames', async () => {
    const { engine, rep, ids } = world;
    const { deal, task } = await deals();
    const base = { name: 'w_bad', trigger: { type: 'record', events: ['created'] }, actions: [{ type: 'update_record', values: { notes: 'x' } }] };
    const cases: [Record<string, unknown>, string][] = [
      [{ trigger: { type: 'record', events: ['created'], condition: { '>': [{ var: 'ghost' }, 1] } } }, 'trigger/condition'],
      [{ trigger: { type: 'record', events: ['created'], fields: ['stage'] } }, 'trigger/fields'],
      [{ trigger: { type: 'record', events: ['updated'], fields: ['ghost'] } }, 'trigger/fields/0'],
      [{ trigger: { type: 'date', field: 'title' } }, 'trigger/field'],
      [{ trigger: { type: 'schedule', cron: 'not a cron at all' } }, 'trigger'],
      [{ trigger: { type: 'schedule', cron: '0 2 * * *', timezone: 'Mars/Olympus' } }, 'trigger'],
      [{ trigger: { type: 'schedule', cron: '0 2 * * *', filter: { '>': [{ var: 'ghost' }, 1] } } }, 'trigger/filter'],
      [{ actions: [{ type: 'update_record', values: { ghost: 1 } }] }, 'actions/0/values/ghost'],
      [{ actions: [{ type: 'update_record', values: { created_at: 1 } }] }, 'actions/0/values/created_at'],
      [{ actions: [{ type: 'update_record', target: 'title', values: { notes: 1 } }] }, 'actions/0/target'],
      [{ actions: [{ type: 'create_record', object: 'ghost_object', values: { a: 1 } }] }, 'actions/0/object'],
      [{ actions: [{ type: 'assign_owner', round_robin: { role: 'ghost_role' } }] }, 'actions/0/round_robin/role'],
      [{ actions: [{ type: 'assign_owner', user_id: '00000000-0000-4000-8000-000000000999' }] }, 'actions/0/user_id'],
      [{ actions: [{ type: 'notify', recipients: [{ field: 'title' }], title: 'x' }] }, 'actions/0/recipients/0/field'],
      [{ actions: [{ type: 'notify', recipients: [{ field: 'owner_id' }], title: '{{#open' }] }, 'actions/0/title'],
      [{ actions: [{ type: 'notify', recipients: [{ field: 'owner_id' }], title: { en: 'ok', 'zh-CN': '{{nope}}' } }] }, 'actions/0/title/zh-CN'],
      [{ actions: [{ type: 'send_email', to: ['nobody'], subject: 's', text: 't' }] }, 'actions/0/to/0'],
      [{ actions: [{ type: 'webhook', url: 'ftp://example.com' }] }, 'actions/0/url'],
      [{ actions: [{ type: 'submit_for_approval' }] }, 'actions/0'],
      [{ actions: [{ type: 'launch_rockets' }] }, 'actions/0'],
    ];
    for (const [patch, path] of cases) {
      const error = await expectCrmError(engine.workflows.create(systemActor, deal, { ...base, ...patch }), 'metadata_invalid');
      expect(error.fields.some((f) => f.path.startsWith(path)), `${JSON.stringify(patch)} -> ${JSON.stringify(error.fields)}`).toBe(true);
    }
    await expectCrmError(engine.workflows.create(rep, deal, base), 'forbidden');
    await expectCrmError(engine.workflows.list(rep, deal), 'forbidden');

    await engine.workflows.create(systemActor, deal, {
      name: 'renamed',
      trigger: { type: 'record', events: ['updated'], fields: ['notes'], condition: { '!=': [{ var: '$old.notes' }, { var: 'notes' }] } },
      actions: [
        { type: 'update_record', values: { notes: { cat: [{ var: 'notes' }, '!'] } } },
        { type: 'notify', recipients: [{ user_id: ids.rep }], title: 'Notes: {{notes}}', body: { en: 'Now {{notes}}', 'zh-CN': '现在 {{notes}}' } },
      ],
    });
    await engine.workflows.create(systemActor, task, {
      name: 'touch_deal',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'update_record', target: 'deal', values: { notes: 'task added' } }],
    });
    await engine.fields.update(systemActor, deal, 'notes', { name: 'remarks' });
    const renamed = await engine.workflows.get(systemActor, deal, 'renamed');
    expect(renamed.trigger).toEqual({ type: 'record', events: ['updated'], fields: ['remarks'], condition: { '!=': [{ var: '$old.remarks' }, { var: 'remarks' }] } });
    expect(renamed.actions[0]).toEqual({ type: 'update_record', values: { remarks: { cat: [{ var: 'remarks' }, '!'] } } });
    expect(renamed.actions[1]).toMatchObject({ title: 'Notes: {{remarks}}', body: { en: 'Now {{remarks}}', 'zh-CN': '现在 {{remarks}}' } });
    expect((await engine.workflows.get(systemActor, task, 'touch_deal')).actions[0]).toEqual({ type: 'update_record', target: 'deal', values: { remarks: 'task added' } });
    // A field a workflow reads cannot be deleted out from under it.
    const blocked = await expectCrmError(engine.fields.delete(systemActor, deal, 'remarks'), 'dependency_exists');
    expect(blocked.message).toContain('workflow `renamed`');
    await engine.workflows.delete(systemActor, deal, 'renamed');
    await expectCrmError(engine.workflows.get(systemActor, deal, 'renamed'), 'workflow_not_found');
  });

  it('refuses, when it is saved, a constant value the field would refuse, naming its path (a rule is checked when it runs)', async () => {
    const { engine } = world;
    const { deal, task } = await deals();
    const save = (object: string, action: Record<string, unknown>) =>
      engine.workflows.create(systemActor, object, { name: 'w_literal', trigger: { type: 'record', events: ['created'] }, actions: [{ type: 'send_email', to: ['x@example.com'], subject: 's', text: 't' }, action] });
    const cases: [string, Record<string, unknown>, string, string][] = [
      [deal, { type: 'update_record', values: { score: 'abc' } }, 'actions/1/values/score', '"abc" is not a whole number'],
      [deal, { type: 'update_record', values: { notes: 'fine', stage: 'nope' } }, 'actions/1/values/stage', '"nope" is not one of the options'],
      [deal, { type: 'create_record', object: task, values: { subject: null } }, 'actions/1/values/subject', '"subject" is required and cannot be emptied'],
      [task, { type: 'update_record', target: 'deal', values: { flagged: 5 } }, 'actions/1/values/flagged', '5 is not true or false'],
    ];
    for (const [object, action, path, why] of cases) {
      const error = await expectCrmError(save(object, action), 'metadata_invalid');
      expect(error.fields.map((f) => f.path)).toEqual([path]);
      expect(error.message).toContain(`${path} ${why}`);
    }
    await expectCrmError(engine.workflows.get(systemActor, deal, 'w_literal'), 'workflow_not_found');
    // Constants the fields take, and rules, are saved as they are.
    await save(deal, { type: 'update_record', values: { score: 3, stage: 'won', notes: null, flagged: { '!': [{ var: 'flagged' }] } } });
    expect((await engine.workflows.get(systemActor, deal, 'w_literal')).actions[1]).toEqual({ type: 'update_record', values: { score: 3, stage: 'won', notes: null, flagged: { '!': [{ var: 'flagged' }] } } });
    // A field changed so that a workflow's constant no longer fits (its option dropped) is refused, naming the workflow.
    const retyped = await expectCrmError(engine.fields.update(systemActor, deal, 'stage', { options: [{ value: 'new', label: 'new' }] }), 'dependency_exists');
    expect(retyped.message).toContain('workflow `w_literal`');
  });

  it('costs objects without workflows nothing: updates keep their single statement', async () => {
    const { engine } = world;
    const { deal } = await deals();
    const object = (await engine.metadata(systemActor)).object(deal);
    expect(object.activeWorkflows.events.size).toBe(0);
    await engine.workflows.create(systemActor, deal, { name: 'off', active: false, trigger: { type: 'record', events: ['updated'] }, actions: [{ type: 'update_record', values: { notes: 'x' } }] });
    expect((await engine.metadata(systemActor)).object(deal).activeWorkflows.events.size).toBe(0);
    const count = await sql<{ n: number }>`select count(*)::int as n from crm_meta.workflows`.execute(engine.database.db);
    expect(count.rows[0]!.n).toBeGreaterThan(0);
  });
});
