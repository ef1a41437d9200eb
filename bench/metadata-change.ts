/**
 * `pnpm bench metadata-change`: what one metadata change costs on a workspace of 30 objects
 * (each with a formula, a computed default, a lookup to the one before, a validation rule and a
 * conditional workflow, and a few records): adding a text field and changing a field's label,
 * each a whole change (lock, documents, whole-graph check, DDL, revision, audit, compile).
 * Baseline, in the same run and on the same database: the bare schema work of adding a field,
 * `ALTER TABLE ... ADD COLUMN` and a revision bump in one transaction, with nothing checked or
 * compiled. Also: a record write right after a change to another object (its validator is
 * reused) against a write with no change before it, and what the engine's compilers were asked
 * to compile per change. Uses DATABASE_URL when set (PostgreSQL), otherwise an in-memory PGlite.
 */
import { createEngine, systemActor, type Engine } from '@crm/engine';
import { countingCompilers } from '@crm/engine/counting-compilers';
import { createTestDatabase } from '@crm/engine/test-database';
import { sql } from 'kysely';
import { figure, figureOfRounds, report, type Figure } from './lib/results';
import { median, timed } from './lib/timing';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Changes of each kind per round. */
const PER_ROUND = Number(process.env.BENCH_CHANGES ?? 6);
const RECORDS = 5;

const objectName = (i: number) => `mc_object_${i}`;

async function buildWorkspace(engine: Engine): Promise<void> {
  for (let i = 0; i < OBJECTS; i++) {
    const name = objectName(i);
    await engine.objects.create(systemActor, {
      name,
      label: `Object ${i}`,
      title_field: 'title',
      fields: [
        { name: 'title', type: 'text', label: 'Title', required: true },
        { name: 'amount', type: 'decimal', label: 'Amount', precision: 18, scale: 2 },
        { name: 'qty', type: 'integer', label: 'Qty', default: { '+': [1, 0] } },
        { name: 'total', type: 'formula', label: 'Total', result_type: 'number', expression: { '*': [{ var: 'amount' }, { var: 'qty' }] } },
        { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New' }, { value: 'won', label: 'Won' }] },
        { name: 'close_date', type: 'date', label: 'Close' },
        ...(i > 0 ? [{ name: 'previous', type: 'lookup' as const, label: 'Previous', target: objectName(i - 1) }] : []),
      ],
    });
    await engine.validationRules.create(systemActor, name, { name: 'positive', condition: { '>=': [{ var: 'amount' }, 0] }, message: 'Not negative', fields: ['amount'] });
    await engine.workflows.create(systemActor, name, {
      name: 'flag_big',
      trigger: { type: 'record', events: ['created'], condition: { '>': [{ var: 'amount' }, 1000] } },
      actions: [{ type: 'update_record', values: { stage: 'won' } }],
    });
    for (let r = 0; r < RECORDS; r++) await engine.records.create(systemActor, name, { title: `r${r}`, amount: r * 10, stage: 'new' });
  }
}

export async function run(): Promise<void> {
  const database = await createTestDatabase();
  const counting = countingCompilers();
  const engine = await createEngine({ ...database.options, compilers: counting.compilers });
  console.log(`metadata-change benchmark on ${database.kind}${database.kind === 'pglite' ? ' (set DATABASE_URL for PostgreSQL)' : ''}, ${OBJECTS} objects, ${ROUNDS} rounds of ${PER_ROUND} changes each`);
  try {
    await buildWorkspace(engine);
    const db = engine.database.db;
    const tables = (await engine.metadata(systemActor)).objects().map((o) => o.table);
    let n = 0;
    const addField = (i: number) => engine.fields.create(systemActor, objectName(i % OBJECTS), { name: `extra_${n++}`, type: 'text', label: 'Extra' });
    const relabel = (i: number) => engine.fields.update(systemActor, objectName(i % OBJECTS), 'title', { label: `Title ${n++}` });
    const bareAddColumn = (i: number) =>
      db.transaction().execute(async (trx) => {
        await sql`alter table ${sql.table(`crm_data.${tables[i % tables.length]!}`)} add column ${sql.id(`bare_${n++}`)} text`.execute(trx);
        await sql`update crm_meta.state set revision = revision + 1 where id = 1`.execute(trx);
      });
    const write = (object: string) => engine.records.create(systemActor, object, { title: `w${n++}`, amount: 5 });

    /**
     * Over PER_ROUND calls of `op` on objects taken in turn: the median milliseconds of a call, and
     * this process's CPU time per call (on PostgreSQL that is the engine's work alone: the database
     * runs elsewhere; PGlite runs in this process, so there it includes the database's).
     */
    const perCall = async (op: (i: number) => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> => {
      const times: number[] = [];
      const cpu = process.cpuUsage();
      for (let k = 0; k < PER_ROUND; k++) times.push((await timed(() => op(n + k * 7))).ms);
      const used = process.cpuUsage(cpu);
      return { ms: median(times), cpuMs: (used.user + used.system) / 1000 / PER_ROUND };
    };
    const compiled = { rules: [] as number[], schemas: [] as number[] };
    const rounds = { add: [] as number[], relabel: [] as number[], bare: [] as number[], writeAfter: [] as number[], write: [] as number[] };
    const cpu = { add: [] as number[], bare: [] as number[] };
    // Alternating rounds, so that load from elsewhere on the machine falls on every side alike.
    for (let round = 0; round < ROUNDS; round++) {
      const bare = await perCall(bareAddColumn);
      rounds.bare.push(bare.ms);
      cpu.bare.push(bare.cpuMs);
      counting.reset();
      const add = await perCall(addField);
      rounds.add.push(add.ms);
      cpu.add.push(add.cpuMs);
      compiled.rules.push(counting.rules.length / PER_ROUND);
      rounds.relabel.push((await perCall(relabel)).ms);
      // A write right after a change to another object, against the next write with no change before it.
      const after: number[] = [];
      const plain: number[] = [];
      for (let k = 0; k < PER_ROUND; k++) {
        const written = objectName((k + 1) % OBJECTS);
        await write(written);
        await relabel(k);
        counting.reset();
        after.push((await timed(() => write(written))).ms);
        compiled.schemas.push(counting.schemas.length);
        plain.push((await timed(() => write(written))).ms);
      }
      rounds.writeAfter.push(median(after));
      rounds.write.push(median(plain));
    }
    const figures: Figure[] = [
      figureOfRounds(`add a text field (${OBJECTS} objects)`, 'ms', rounds.add, rounds.bare, false),
      figureOfRounds(`add a text field: CPU of this process per change`, 'ms', cpu.add, cpu.bare, false),
      figureOfRounds(`change a field's label (${OBJECTS} objects)`, 'ms', rounds.relabel, rounds.bare, false),
      figureOfRounds('record write right after a change to another object', 'ms', rounds.writeAfter, rounds.write, false),
      figure('rules compiled per add-field change', median(compiled.rules), 'rules', null, false),
      figure('record validators compiled by a write after a change to another object', median(compiled.schemas), 'validators', null, false),
    ];
    report('metadata-change', figures);
    console.log(
      'baseline: the bare schema work (ALTER TABLE ADD COLUMN and a revision bump in one transaction, nothing checked or compiled) on the same database in the same run; for the write after a change, a write with no change before it. Shared, loaded machine: figures are noisy.',
    );
  } finally {
    await engine.close();
    await database.drop();
  }
}
