import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, userActor, type Actor } from '../actors';
import { createEngine, type Engine } from '../engine';
import { isCrmError } from '../errors';
import { prepareCreate } from '../records/write-create';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { planCreate } from './plan-create';

/**
 * Workflows planned before a create must give exactly what running them after the insert gives.
 * Two engines on two fresh databases with the same metadata, one planning creates and one not,
 * take the same creates; records, errors, run logs and notifications must come out the same.
 */

interface Side {
  engine: Engine;
  database: TestDatabase;
  rep: Actor;
  manager: string;
}

const OPTIONS = ['new', 'won', 'lost'].map((value) => ({ value, label: value }));
const PRIORITIES = ['low', 'high'].map((value) => ({ value, label: value }));

async function setUp(planCreates: boolean): Promise<Side> {
  const database = await createTestDatabase();
  const engine = await createEngine({ ...database.options, workflows: { planCreates } });
  await engine.roles.create(systemActor, { name: 'plan_rep', label: 'Rep', objects: { '*': { read: true, create: true, edit: true, read_scope: 'all' } } });
  const manager = (await engine.users.create(systemActor, { name: 'Manager', email: 'manager@example.com' })).id;
  const rep = (await engine.users.create(systemActor, { name: 'Rep', email: 'rep@example.com', roles: ['plan_rep'], manager_id: manager })).id;
  await engine.objects.create(systemActor, { name: 'account', label: 'Account', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
  await engine.objects.create(systemActor, {
    name: 'deal',
    label: 'Deal',
    title_field: 'title',
    fields: [
      { name: 'title', type: 'text', label: 'Title', required: true },
      { name: 'amount', type: 'decimal', label: 'Amount', precision: 18, scale: 2 },
      { name: 'qty', type: 'integer', label: 'Qty' },
      { name: 'stage', type: 'select', label: 'Stage', options: OPTIONS },
      { name: 'priority', type: 'select', label: 'Priority', options: PRIORITIES },
      { name: 'flagged', type: 'boolean', label: 'Flagged' },
      { name: 'note', type: 'text', label: 'Note' },
      { name: 'code', type: 'text', label: 'Code', unique: true },
      { name: 'due_at', type: 'datetime', label: 'Due' },
      { name: 'tags', type: 'multiselect', label: 'Tags', options: ['a', 'b', 'c'].map((value) => ({ value, label: value })) },
      { name: 'number', type: 'autonumber', label: 'Number', pattern: 'D-{0000}' },
      { name: 'account', type: 'lookup', label: 'Account', target: 'account' },
      { name: 'reviewer', type: 'user', label: 'Reviewer' },
      { name: 'big', type: 'formula', label: 'Big', result_type: 'boolean', expression: { '>': [{ var: 'amount' }, 1000] } },
    ],
  });
  await engine.objects.create(systemActor, { name: 'task', label: 'Task', fields: [{ name: 'subject', type: 'text', label: 'Subject', required: true }] });
  await engine.objects.create(systemActor, {
    name: 'call',
    label: 'Call',
    fields: [
      { name: 'subject', type: 'text', label: 'Subject', required: true },
      { name: 'deal', type: 'lookup', label: 'Deal', target: 'deal' },
      { name: 'who', type: 'user', label: 'Who' },
      { name: 'ref', type: 'text', label: 'Ref', unique: true },
    ],
  });
  // A condition on a value only the database knows before the insert: every create of this object runs its workflows after it.
  await engine.objects.create(systemActor, { name: 'stamped', label: 'Stamped', fields: [{ name: 'qty', type: 'integer', label: 'Qty' }, { name: 'note', type: 'text', label: 'Note' }] });
  await engine.workflows.create(systemActor, 'stamped', {
    name: 'stamp',
    trigger: { type: 'record', events: ['created'], condition: { and: [{ '!!': [{ var: 'created_at' }] }, { '==': [{ var: 'qty' }, 8] }] } },
    actions: [{ type: 'update_record', values: { note: 'stamped' } }],
  });
  await engine.validationRules.create(systemActor, 'deal', {
    name: 'lost_has_note',
    condition: { or: [{ '!=': [{ var: 'stage' }, 'lost'] }, { '!!': [{ var: 'note' }] }] },
    message: 'A lost deal needs a note',
    fields: ['note'],
  });
  const created = (name: string, condition: unknown, actions: unknown[], extra: Record<string, unknown> = {}) =>
    engine.workflows.create(systemActor, 'deal', { name, trigger: { type: 'record', events: ['created'], ...(condition === undefined ? {} : { condition }), ...extra }, actions });
  // Plannable: field updates of the new record, notifications over what the create wrote.
  await created('a_flag', { '>': [{ var: 'amount' }, 900] }, [{ type: 'update_record', values: { flagged: true } }]);
  await created('b_won', { '==': [{ var: 'stage' }, 'won'] }, [
    { type: 'update_record', values: { priority: 'high' } },
    { type: 'update_record', name: 'note_it', values: { note: { cat: ['won by ', { var: '$user.id' }, ' for ', { var: 'amount' }] } } },
    { type: 'update_record', name: 'again', values: { priority: 'high', flagged: { var: 'big' } } },
    { type: 'notify', recipients: [{ field: 'owner_id' }, { user_id: manager }, { field: 'reviewer' }], title: 'Won {{title}} ({{amount}})', body: '{{#tags}}[{{.}}]{{/tags}} big={{big}} qty={{qty}}' },
  ], { becomes_true: true });
  await created('c_tags', { in: ['b', { var: 'tags' }] }, [{ type: 'update_record', values: { tags: ['a', 'b'], due_at: '2024-05-01T10:00:00+02:00' } }]);
  // Not plannable: a template reading the autonumber, a condition on created_at, another record,
  // an update of a unique field, an update a validation rule refuses.
  await created('d_number', { '==': [{ var: 'qty' }, 7] }, [{ type: 'notify', recipients: [{ user_id: manager }], title: 'Deal {{number}}' }]);
  await created('e_big', { and: [{ '==': [{ var: 'big' }, true] }, { '==': [{ var: 'qty' }, 8] }] }, [{ type: 'notify', recipients: [{ user_id: manager }], title: 'Big {{title}} {{due_at}}' }]);
  // Records made alongside: planned when the database can refuse nothing the pipeline accepted.
  await created('f_task', { '==': [{ var: 'qty' }, 9] }, [{ type: 'create_record', object: 'task', values: { subject: { cat: ['Call ', { var: 'title' }] } } }]);
  await created('l_call', { '==': [{ var: 'qty' }, 15] }, [{ type: 'create_record', object: 'call', values: { subject: { var: 'title' }, deal: { var: 'id' }, who: { var: 'owner_id' } } }]);
  await created('m_call_ref', { '==': [{ var: 'qty' }, 16] }, [{ type: 'create_record', object: 'call', values: { subject: 'x', ref: { cat: ['R-', { var: 'title' }] } } }]);
  // A rule emptying a required field fails when it runs (a constant null is refused when the workflow is saved).
  await created('n_call_bad', { '==': [{ var: 'qty' }, 17] }, [{ type: 'create_record', object: 'call', values: { subject: { if: [false, 'x', null] } } }]);
  await created('g_code', { '==': [{ var: 'qty' }, 10] }, [{ type: 'update_record', values: { code: { cat: ['C-', { var: 'title' }] } } }]);
  await created('h_lose', { '==': [{ var: 'qty' }, 11] }, [{ type: 'update_record', values: { stage: 'lost' } }]);
  await created('i_number_value', { '==': [{ var: 'qty' }, 12] }, [{ type: 'update_record', values: { note: { var: 'number' } } }]);
  await created('j_role', { '==': [{ var: 'qty' }, 13] }, [{ type: 'notify', recipients: [{ role: 'plan_rep' }], title: 'To reps: {{title}}' }]);
  // A template naming a referenced user needs the database: run after the insert, the same words.
  await created('o_named', { '==': [{ var: 'qty' }, 18] }, [{ type: 'notify', recipients: [{ user_id: manager }], title: '{{title}}: {{stage}} {{amount}}', body: 'Reviewer {{reviewer}}' }]);
  await created('k_nothing', { '==': [{ var: 'qty' }, 14] }, [{ type: 'update_record', values: { qty: 14 } }, { type: 'notify', recipients: [{ field: 'reviewer' }], title: 'none' }]);
  // An update that another workflow reacts to (priority changes) is left to run after the insert.
  await engine.workflows.create(systemActor, 'deal', {
    name: 'z_priority',
    trigger: { type: 'record', events: ['updated'], fields: ['priority'], condition: { '==': [{ var: 'qty' }, 5] } },
    actions: [{ type: 'update_record', values: { note: 'priority changed' } }],
  });
  return { engine, database, rep: userActor(rep), manager };
}

let planning: Side;
let running: Side;

beforeAll(async () => {
  [planning, running] = await Promise.all([setUp(true), setUp(false)]);
});

afterAll(async () => {
  for (const side of [planning, running]) {
    await side?.engine.close();
    await side?.database.drop();
  }
});

/** The inputs: each workflow alone and together, the edge cases of each. */
function inputs(reviewer: string): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [];
  for (const qty of [1, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]) {
    for (const stage of ['new', 'won']) {
      for (const amount of ['10.5', '950.25', '1200']) {
        list.push({ title: `deal ${list.length}`, qty, stage, amount, ...(list.length % 5 === 0 ? { tags: ['b', 'c'], reviewer } : {}), ...(list.length % 4 === 0 ? { flagged: true } : {}) });
      }
    }
  }
  list.push({ title: 'lost without note', stage: 'lost', qty: 1 });
  list.push({ title: 'won twice', stage: 'won', qty: 1, priority: 'high', note: 'set', amount: '5' });
  return list;
}

type Outcome = { record: Record<string, unknown> } | { error: unknown };

async function createAll(side: Side): Promise<{ outcomes: Outcome[]; ids: string[] }> {
  const outcomes: Outcome[] = [];
  const ids: string[] = [];
  const reviewer = (await side.engine.users.list(systemActor)).find((u) => u.name === 'Manager')!.id;
  for (const input of inputs(reviewer)) {
    try {
      const record = await side.engine.records.create(side.rep, 'deal', input);
      ids.push(record.id as string);
      outcomes.push({ record: normalise(record, side) });
    } catch (error) {
      ids.push('');
      outcomes.push({ error: isCrmError(error) ? { code: error.code, fields: error.toJSON().fields } : String(error) });
    }
  }
  return { outcomes, ids };
}

/** User ids differ between the two databases: named by role instead. */
function anonymise<T>(value: T, side: Side): T {
  return JSON.parse(JSON.stringify(value).replaceAll(side.manager, 'MANAGER').replaceAll((side.rep as { userId: string }).userId, 'REP')) as T;
}

/** Ids and times differ between the two databases; everything else must not. */
function normalise(value: Record<string, unknown>, side: Side): Record<string, unknown> {
  const { id: _id, created_at: createdAt, updated_at: updatedAt, ...rest } = value;
  return anonymise({ ...rest, stamps: createdAt === updatedAt ? 'same' : 'differ' }, side);
}

describe('workflows planned before a create', () => {
  it('give the same records, errors, run logs and notifications as running them after the insert', async () => {
    const [planned, ran] = [await createAll(planning), await createAll(running)];
    expect(planned.outcomes.length).toBe(ran.outcomes.length);
    planned.outcomes.forEach((outcome, i) => expect(outcome, `input ${i}`).toEqual(ran.outcomes[i]));

    const logs = async (side: Side, ids: string[]) => {
      const runs = await side.engine.workflowRuns.list(systemActor, { object: 'deal', limit: 500 });
      const index = new Map(ids.map((id, i) => [id, i]));
      return runs
        .map((r) => ({
          input: index.get(r.record_id ?? '') ?? -1,
          workflow: r.workflow,
          trigger: r.trigger,
          depth: r.depth,
          outcome: r.outcome,
          conditions: r.conditions,
          actions: anonymise(JSON.parse(JSON.stringify(r.actions).replaceAll(r.record_id ?? '', 'RECORD').replace(/"(id|request_id)":"[0-9a-f-]{36}"/g, '"$1":"ID"')) as unknown, side),
          error: (r.error as { code?: string } | null)?.code ?? null,
        }))
        .sort((a, b) => a.input - b.input || a.workflow.localeCompare(b.workflow) || a.trigger.localeCompare(b.trigger));
    };
    const [plannedLogs, ranLogs] = [await logs(planning, planned.ids), await logs(running, ran.ids)];
    expect(plannedLogs).toEqual(ranLogs);
    // The comparison covers what matters: plannable runs, runs left to after the insert, failures.
    const names = new Set(plannedLogs.map((l) => l.workflow));
    for (const name of ['a_flag', 'b_won', 'c_tags', 'd_number', 'e_big', 'f_task', 'i_number_value', 'j_role', 'k_nothing', 'l_call', 'm_call_ref', 'n_call_bad', 'o_named', 'z_priority']) expect(names, name).toContain(name);

    // The records the workflows made, alike on both sides.
    const made = async (side: Side, ids: string[], object: string) => {
      const index = new Map(ids.map((id, i) => [id, i]));
      const page = await side.engine.records.list(systemActor, object, { limit: 500, sort: 'subject' });
      return anonymise(
        page.data
          .map(({ id: _id, created_at: _c, updated_at: _u, ...rest }) => ({ ...rest, ...('deal' in rest ? { deal: index.get(rest.deal as string) ?? null } : {}) }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        side,
      );
    };
    for (const object of ['task', 'call']) expect(await made(planning, planned.ids, object), object).toEqual(await made(running, ran.ids, object));
    expect((await made(planning, planned.ids, 'call')).length).toBeGreaterThan(3);
    expect(plannedLogs.some((l) => l.outcome === 'failed')).toBe(true);

    const notes = async (side: Side, ids: string[]) => {
      const rows = await side.engine.database.db
        .selectFrom('crm_meta.notifications')
        .select(['user_id', 'title', 'body', 'object', 'record_id', 'workflow', 'translations'])
        .execute();
      const index = new Map(ids.map((id, i) => [id, i]));
      return rows
        .map((n) => ({ ...n, user_id: n.user_id === side.manager ? 'MANAGER' : 'OTHER', record_id: index.get(n.record_id ?? '') ?? -1 }))
        .sort((a, b) => a.record_id - b.record_id || String(a.workflow).localeCompare(String(b.workflow)) || a.user_id.localeCompare(b.user_id));
    };
    expect(await notes(planning, planned.ids)).toEqual(await notes(running, ran.ids));

    // And the planning side did plan: most creates that fire something ride along with their insert.
    const metadata = await planning.engine.metadata(systemActor);
    const deal = metadata.object('deal');
    const context = { user: { id: (planning.rep as { userId: string }).userId }, now: new Date() };
    const kinds = new Map<string, number>();
    for (const input of inputs(planning.manager)) {
      let kind: string;
      try {
        kind = planCreate(metadata, deal, prepareCreate(deal, input, context), context, 0).kind;
      } catch {
        kind = 'refused';
      }
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    expect(kinds.get('planned')).toBeGreaterThan(15);
    expect(kinds.get('after_write')).toBeGreaterThan(15);
    expect(kinds.get('none')).toBeGreaterThan(1);
  });

  it('runs the same after the insert when a condition reads what only the database knows yet', async () => {
    for (const side of [planning, running]) {
      const stamped = await side.engine.records.create(side.rep, 'stamped', { qty: 8 });
      expect(stamped).toMatchObject({ note: 'stamped', version: 2 });
      expect(await side.engine.records.create(side.rep, 'stamped', { qty: 1 })).toMatchObject({ note: null, version: 1 });
    }
    const metadata = await planning.engine.metadata(systemActor);
    const object = metadata.object('stamped');
    const context = { user: { id: (planning.rep as { userId: string }).userId }, now: new Date() };
    expect(planCreate(metadata, object, prepareCreate(object, { qty: 1 }, context), context, 0).kind).toBe('after_write');
  });

  it('plans what it can prove equal and leaves the rest to run after the insert', async () => {
    const { engine } = planning;
    const metadata = await engine.metadata(systemActor);
    const deal = metadata.object('deal');
    const context = { user: { id: (planning.rep as { userId: string }).userId }, now: new Date() };
    const decide = (input: Record<string, unknown>) => planCreate(metadata, deal, prepareCreate(deal, { title: 'x', ...input }, context), context, 0);

    expect(decide({ qty: 1, stage: 'new', amount: '1' }).kind).toBe('none');
    const flagged = decide({ qty: 1, stage: 'new', amount: '950' });
    expect(flagged.kind).toBe('planned');
    if (flagged.kind === 'planned') {
      expect(flagged.row.flagged).toBe(true);
      expect(flagged.row.version).toBe(2);
      expect(flagged.riders.map((r) => r.key)).toEqual(['workflow_runs:1']);
    }
    const won = decide({ qty: 1, stage: 'won', amount: '2000', reviewer: planning.manager });
    expect(won.kind).toBe('planned');
    if (won.kind === 'planned') {
      // Three updates, one of which changes nothing; the notification goes to the owner and the manager once each.
      expect(won.row).toMatchObject({ priority: 'high', flagged: true, version: 4 });
      expect(won.riders.map((r) => r.key)).toEqual(['workflow_runs:2', 'notifications:2']);
    }
    for (const qty of [7, 10, 11, 12, 13, 16, 17]) expect(decide({ qty, stage: 'new', amount: '1' }).kind, `qty ${qty}`).toBe('after_write');
    for (const qty of [9, 15]) expect(decide({ qty, stage: 'new', amount: '1' }).kind, `qty ${qty}`).toBe('planned');
    // The priority update fires z_priority (qty 5): after the insert.
    expect(decide({ qty: 5, stage: 'won', amount: '1' }).kind).toBe('after_write');
    expect(decide({ qty: 5, stage: 'new', amount: '1' }).kind).toBe('none');
    // A formula over known values is known; an unset datetime renders empty either way.
    expect(decide({ qty: 8, stage: 'new', amount: '2000' }).kind).toBe('planned');
    // Deep inside other workflows, the depth limit decides: after the insert, where it fails.
    expect(decide({ qty: 1, stage: 'new', amount: '950' }).kind).toBe('planned');
    expect(planCreate(metadata, deal, prepareCreate(deal, { title: 'x', amount: '950' }, context), context, 5).kind).toBe('after_write');
  });

  it('writes the run log of a planned create with its INSERT: there when the create returns, kept when its workflow is deleted', async () => {
    const { engine } = planning;
    await engine.objects.create(systemActor, { name: 'logged', label: 'Logged', fields: [{ name: 'qty', type: 'integer', label: 'Qty' }, { name: 'note', type: 'text', label: 'Note' }] });
    await engine.workflows.create(systemActor, 'logged', { name: 'mark', trigger: { type: 'record', events: ['created'] }, actions: [{ type: 'update_record', values: { note: 'marked' } }] });
    const stored = async () =>
      (await engine.database.db.selectFrom('crm_meta.workflow_runs').select(['workflow', 'workflow_id', 'record_id']).where('workflow', '=', 'mark').execute()).length;
    for (let i = 0; i < 5; i++) {
      await engine.records.create(planning.rep, 'logged', { qty: i });
      // Read straight from the table, not through the run log API: nothing is left to write later.
      expect(await stored()).toBe(i + 1);
    }
    // A run whose workflow is deleted afterwards stays in the log, pointing at no workflow.
    const last = (await engine.records.create(planning.rep, 'logged', { qty: 9 })).id as string;
    await engine.workflows.delete(systemActor, 'logged', 'mark');
    const runs = await engine.workflowRuns.list(systemActor, { record: last });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ workflow: 'mark', outcome: 'completed', trigger: 'created' });
    const row = await engine.database.db.selectFrom('crm_meta.workflow_runs').select(['workflow_id']).where('record_id', '=', last).executeTakeFirstOrThrow();
    expect(row.workflow_id).toBeNull();
  });

  it("plans a create inside another write's transaction too, logging its runs in that transaction", async () => {
    const { engine } = planning;
    await engine.objects.create(systemActor, { name: 'child', label: 'Child', fields: [{ name: 'note', type: 'text', label: 'Note' }] });
    await engine.objects.create(systemActor, { name: 'parent', label: 'Parent', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    await engine.workflows.create(systemActor, 'child', { name: 'child_mark', trigger: { type: 'record', events: ['created'] }, actions: [{ type: 'update_record', values: { note: 'marked' } }] });
    await engine.workflows.create(systemActor, 'parent', { name: 'make_child', trigger: { type: 'record', events: ['created'] }, actions: [{ type: 'create_record', object: 'child', values: { note: { var: 'title' } } }] });
    await engine.records.create(planning.rep, 'parent', { title: 'p' });
    // The child's run was logged by its own insert, inside the parent's transaction: already there.
    const rows = await engine.database.db.selectFrom('crm_meta.workflow_runs').select(['workflow', 'depth']).where('workflow', '=', 'child_mark').execute();
    expect(rows).toEqual([{ workflow: 'child_mark', depth: 1 }]);
    const children = await engine.records.list(systemActor, 'child', {});
    expect(children.data).toMatchObject([{ note: 'marked', version: 2 }]);
  });
});
