/**
 * `pnpm bench workflows`: what workflows and validation rules cost a record create. The same
 * object twice in one database: once bare, once with 10 active record-triggered workflows (real
 * conditions over the record, field updates, a notification, a follow-up record; most do not
 * fire for a given record) and 5 validation rules. Alternating rounds, median of three.
 * Uses DATABASE_URL when set (PostgreSQL), otherwise an in-memory PGlite.
 */
import { createEngine, systemActor, type Engine } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { figure, report, type Figure } from './lib/results';
import { median, throughput } from './lib/timing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

export async function setupObject(engine: Engine, name: string): Promise<void> {
  await engine.objects.create(systemActor, {
    name,
    label: 'Bench deal',
    title_field: 'title',
    fields: [
      { name: 'title', type: 'text', label: 'Title', required: true },
      { name: 'amount', type: 'decimal', label: 'Amount', precision: 18, scale: 2 },
      { name: 'qty', type: 'integer', label: 'Qty' },
      { name: 'stage', type: 'select', label: 'Stage', options: ['new', 'won', 'lost'].map((value) => ({ value, label: value })) },
      { name: 'close_date', type: 'date', label: 'Close' },
      { name: 'priority', type: 'select', label: 'Priority', options: ['low', 'high'].map((value) => ({ value, label: value })) },
      { name: 'flagged', type: 'boolean', label: 'Flagged' },
      { name: 'loss_reason', type: 'text', label: 'Loss reason' },
    ],
  });
}

/** 10 workflows: about one record in four fires one or two of them. */
export function workflows(managerId: string, task: string) {
  const created = (name: string, condition: unknown, actions: unknown[]) => ({ name, trigger: { type: 'record', events: ['created'], condition }, actions });
  return [
    created('big_deal_flag', { '>': [{ var: 'amount' }, 900000] }, [{ type: 'update_record', values: { flagged: true } }]),
    created('won_tell_manager', { and: [{ '==': [{ var: 'stage' }, 'won'] }, { '>': [{ var: 'amount' }, 500000] }] }, [
      { type: 'notify', recipients: [{ user_id: managerId }], title: 'Won: {{title}}', body: 'Amount {{amount}}' },
    ]),
    created('lost_needs_review', { '==': [{ var: 'stage' }, 'lost'] }, [{ type: 'update_record', values: { priority: 'high' } }]),
    created('bulk_order', { '>': [{ var: 'qty' }, 15] }, [{ type: 'update_record', values: { priority: 'high' } }]),
    created('negative', { '<': [{ var: 'amount' }, 0] }, [{ type: 'update_record', values: { flagged: true } }]),
    created('vip_title', { in: ['VIP', { var: 'title' }] }, [{ type: 'notify', recipients: [{ user_id: managerId }], title: 'VIP {{title}}' }]),
    created('follow_up', { and: [{ '==': [{ var: 'stage' }, 'new'] }, { '==': [{ var: 'qty' }, 3] }] }, [
      { type: 'create_record', object: task, values: { subject: { cat: ['Call about ', { var: 'title' }] } } },
    ]),
    { name: 'stage_changed', trigger: { type: 'record', events: ['updated'], fields: ['stage'] }, actions: [{ type: 'update_record', values: { flagged: false } }] },
    { name: 'deleted', trigger: { type: 'record', events: ['deleted'] }, actions: [{ type: 'notify', recipients: [{ user_id: managerId }], title: 'Deleted {{title}}' }] },
    { name: 'won_becomes', trigger: { type: 'record', events: ['updated'], condition: { '==': [{ var: 'stage' }, 'won'] }, becomes_true: true }, actions: [{ type: 'update_record', values: { priority: 'low' } }] },
  ];
}

export const RULES = [
  { name: 'amount_positive', condition: { '>=': [{ var: 'amount' }, 0] }, message: 'Amount must not be negative', fields: ['amount'] },
  { name: 'qty_bounded', condition: { '<=': [{ var: 'qty' }, 1000] }, message: 'At most 1000', fields: ['qty'] },
  { name: 'lost_reason', condition: { or: [{ '!=': [{ var: 'stage' }, 'lost'] }, { '!!': [{ var: 'loss_reason' }] }] }, message: 'A lost deal needs a reason', fields: ['loss_reason'] },
  { name: 'won_close', condition: { or: [{ '!=': [{ var: 'stage' }, 'won'] }, { '!!': [{ var: 'close_date' }] }] }, message: 'A won deal needs a close date', fields: ['close_date'] },
  { name: 'title_short', condition: { '<': [{ var: 'title' }, 'zzzz'] }, message: 'Title too odd', fields: ['title'] },
];

export async function run(): Promise<void> {
  const database = await createTestDatabase();
  const engine = await createEngine(database.options);
  const kind = database.kind;
  console.log(`workflows benchmark on ${kind}${kind === 'pglite' ? ' (set DATABASE_URL for PostgreSQL)' : ''}, ${SECONDS}s per figure`);
  const figures: Figure[] = [];
  try {
    await setupObject(engine, 'bench_plain');
    await setupObject(engine, 'bench_auto');
    await engine.objects.create(systemActor, { name: 'bench_task', label: 'Task', fields: [{ name: 'subject', type: 'text', label: 'Subject', required: true }] });
    const manager = await engine.users.create(systemActor, { name: 'Bench manager', email: 'manager@bench.example' });
    for (const workflow of workflows(manager.id, 'bench_task')) await engine.workflows.create(systemActor, 'bench_auto', workflow);
    for (const rule of RULES) await engine.validationRules.create(systemActor, 'bench_auto', rule);

    const stages = ['new', 'won', 'new', 'won'];
    const input = (i: number) => ({
      title: `deal ${i}`,
      amount: String((i % 1000) * 1000 + 0.5),
      qty: i % 17,
      stage: stages[i % 4],
      close_date: '2024-06-30',
    });
    for (let i = 0; i < 300; i++) {
      await engine.records.create(systemActor, 'bench_plain', input(i));
      await engine.records.create(systemActor, 'bench_auto', input(i));
    }
    if (process.env.BENCH_PROBE) {
      const quiet = (i: number) => ({ ...input(i), amount: '10.5', stage: 'new', qty: 1 });
      for (const [label, op] of [
        ['auto quiet', (i: number) => engine.records.create(systemActor, 'bench_auto', quiet(i))],
        ['plain quiet', (i: number) => engine.records.create(systemActor, 'bench_plain', quiet(i))],
        ['auto mixed', (i: number) => engine.records.create(systemActor, 'bench_auto', input(i))],
        ['auto flag', (i: number) => engine.records.create(systemActor, 'bench_auto', { ...quiet(i), amount: '950000' })],
        ['auto notify', (i: number) => engine.records.create(systemActor, 'bench_auto', { ...quiet(i), amount: '600000', stage: 'won' })],
      ] as const) console.log(label, Math.round(await throughput(op, 1500, 1)));
    }
    // Two workloads: the mix above (about four creates in ten fire one or two workflows: field
    // updates, notifications, now and then a follow-up record), and creates that fire nothing
    // (every condition and rule is still judged). Alternating rounds, medians.
    const quietInput = (i: number) => ({ ...input(i), amount: String((i % 500) * 1000 + 0.5), qty: i % 15 === 3 ? 4 : i % 15, stage: 'new' });
    const workloads = [
      { label: 'about 4 in 10 creates fire', make: input },
      { label: 'no create fires', make: quietInput },
    ];
    const concurrencies = kind === 'postgres' ? [1, 8] : [1];
    for (const workload of workloads) {
      for (const c of concurrencies) {
        const auto: number[] = [];
        const plain: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          auto.push(await throughput((i) => engine.records.create(systemActor, 'bench_auto', workload.make(i)), (SECONDS * 1000) / ROUNDS, c));
          plain.push(await throughput((i) => engine.records.create(systemActor, 'bench_plain', workload.make(i)), (SECONDS * 1000) / ROUNDS, c));
        }
        figures.push(figure(`create with 10 workflows + 5 rules (vs none), ${workload.label}, ${c} in flight`, median(auto), 'records/s', median(plain), true));
      }
    }
    const runs = await engine.workflowRuns.list(systemActor, { object: 'bench_auto', limit: 500 });
    const total = (await engine.records.list(systemActor, 'bench_auto', { count: true, limit: 1 })).total ?? 0;
    console.log(`bench_auto: ${total} records; the latest ${runs.length} runs: ${[...new Set(runs.map((r) => r.workflow))].join(', ')}`);
  } finally {
    await engine.close();
    await database.drop();
  }
  report('workflows', figures);
}
