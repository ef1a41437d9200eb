/**
 * `pnpm bench import`: what an import of a spreadsheet costs. A contact object (name, e-mail,
 * phone, a select, a boolean, a lookup to one of 500 companies) and a CSV of BENCH_ROWS rows (2,000
 * by default), imported by a rep through `engine.records.import` (parsing, the write pipeline per
 * row behind its savepoint, rules, the audit entry). Three files, alternating rounds, rows per
 * second:
 * - the company given by id, options by value (the API's own values);
 * - the company given by its name, the option by its Chinese label and the boolean as 是/否, as
 *   people keep spreadsheets: the names are looked up (one query per 200 names, within the rep's
 *   visibility) before writing. Baseline: the same rows by id;
 * - the rows by id against a hand-written import of the same rows: csv-parse, then one plain
 *   INSERT per row in one transaction (no validation, no permissions, no audit).
 * - the rows by id sent as the import dialog sends them, a call per DIALOG_PART_ROWS rows one
 *   after the other (IMPORT_PART_ROWS in runtime-ui's import-plan.ts), each under its own
 *   Idempotency-Key (so one transaction), against the whole file in one call: what progress,
 *   Stop and safe retries cost (each part parses, looks up and is audited on its own).
 * Each round imports into an emptied table. Then what others wait meanwhile (readsDuringImport):
 * chunks of IMPORT_CHUNK_ROWS rows per transaction (the default) against one transaction. Uses DATABASE_URL when set, otherwise in-memory PGlite.
 */
import { createEngine, systemActor, userActor, type Actor, type Engine } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { parse } from 'csv-parse/sync';
import { sql, type Kysely } from 'kysely';
import { figure, figureOfRounds, report, type Figure } from './lib/results';
import { timed } from './lib/timing';

const ROWS = Number(process.env.BENCH_ROWS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COMPANIES = 500;
/** The engine's default rows per import transaction (IMPORT_CHUNK_ROWS in record-writes.ts), set explicitly. */
const IMPORT_CHUNK_ROWS = 100;
/** Rows per request of the runtime UI's import dialog (IMPORT_PART_ROWS in runtime-ui/src/records/import/import-plan.ts). */
const DIALOG_PART_ROWS = Number(process.env.BENCH_PART_ROWS ?? 200);
const STAGES = [
  { value: 'lead', label: { en: 'Lead', 'zh-CN': '线索' } },
  { value: 'active', label: { en: 'Active', 'zh-CN': '合作中' } },
  { value: 'lost', label: { en: 'Lost', 'zh-CN': '已流失' } },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const companyName = (i: number) => `华信精密制造 ${String(i).padStart(4, '0')} 有限公司`;

function csvOf(companies: readonly string[], round: number, byName: boolean): string {
  const lines = ['name,email,phone,stage,vip,company'];
  for (let i = 0; i < ROWS; i += 1) {
    const company = i % COMPANIES;
    const stage = STAGES[i % STAGES.length]!;
    lines.push(
      [
        `联系人 ${round}-${i}`,
        `c${round}.${i}@bench.example`,
        `+86 138 ${String(i).padStart(8, '0')}`,
        byName ? stage.label['zh-CN'] : stage.value,
        byName ? (i % 2 ? '是' : '否') : i % 2 ? 'true' : 'false',
        byName ? `"${companyName(company)}"` : companies[company]!,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** What a developer writes by hand for the same file: parse it, insert each row, one transaction. */
async function handWritten(db: Db, owner: string, csv: string): Promise<void> {
  const [, ...rows] = parse(csv) as string[][];
  await db.transaction().execute(async (trx) => {
    for (const [name, email, phone, stage, vip, company] of rows) {
      await sql`insert into crm_data.contact (id, created_by, updated_by, owner_id, name, email, phone, stage, vip, company)
        values (gen_random_uuid(), ${owner}, ${owner}, ${owner}, ${name}, ${email}, ${phone}, ${stage}, ${vip === 'true'}, ${company})`.execute(trx);
    }
  });
}

/** An engine on a fresh database with the bench's objects, a rep and 500 companies. */
async function prepare(records: { importChunkRows?: number } = {}) {
  const database = await createTestDatabase();
  const engine: Engine = await createEngine({ ...database.options, records });
  await engine.objects.create(systemActor, { name: 'company', label: 'Company', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
  await engine.objects.create(systemActor, {
    name: 'contact',
    label: 'Contact',
    title_field: 'name',
    fields: [
      { name: 'name', type: 'text', label: 'Name', required: true },
      { name: 'email', type: 'email', label: 'Email', unique: true },
      { name: 'phone', type: 'phone', label: 'Phone' },
      { name: 'stage', type: 'select', label: 'Stage', options: STAGES },
      { name: 'vip', type: 'boolean', label: 'VIP' },
      { name: 'company', type: 'lookup', target: 'company', label: 'Company' },
    ],
  });
  await engine.roles.create(systemActor, { name: 'rep', label: 'Rep', objects: { company: { read: true, read_scope: 'all' }, contact: { read: true, create: true, edit: true, read_scope: 'own', edit_scope: 'own' } } });
  const rep = await engine.users.create(systemActor, { name: 'Rep', roles: ['rep'] });
  const companies: string[] = [];
  for (let i = 0; i < COMPANIES; i += 1) companies.push((await engine.records.create(systemActor, 'company', { name: companyName(i) })).id as string);
  const close = async () => {
    await engine.close();
    await database.drop();
  };
  return { database, engine, rep, actor: userActor(rep.id), companies, close };
}

/** A file cut as the import dialog cuts it: each part keeps the header line. */
function partsOf(csv: string): string[] {
  const [header, ...lines] = csv.trimEnd().split('\n');
  const parts: string[] = [];
  for (let from = 0; from < lines.length; from += DIALOG_PART_ROWS) parts.push(`${[header, ...lines.slice(from, from + DIALOG_PART_ROWS)].join('\n')}\n`);
  return parts;
}

/**
 * What other users wait while someone imports: reads of a company by id, one every 5 ms, made
 * during the import of a file. Each figure is the longest time from one read's answer to the
 * next one's, less the 5 ms pause: how long a request arriving then would have waited (for the
 * database, or for the process: PGlite answers within the event loop's turn). Chunks commit and
 * yield every `importChunkRows` rows; one transaction holds both to the end.
 */
async function readsDuringImport(importChunkRows: number, dialogParts = false): Promise<{ longest: number; reads: number; ms: number }> {
  const setup = await prepare({ importChunkRows });
  try {
    const { engine, actor, companies } = setup;
    await engine.records.import(actor, 'contact', { format: 'csv', data: csvOf(companies, -1, false) });
    let done = false;
    const started = performance.now();
    const file = csvOf(companies, 0, false);
    // As the dialog sends it: parts of DIALOG_PART_ROWS, each under its own key (one transaction each).
    const importing = (
      dialogParts
        ? (async () => {
            for (const [index, part] of partsOf(file).entries()) {
              // Each part is its own HTTP request in the product: the event loop turns between them.
              await new Promise<void>((resolve) => setImmediate(resolve));
              await engine.records.import(actor, 'contact', { format: 'csv', data: part }, { idempotency: { key: `bench-${index}`, fingerprint: part } });
            }
          })()
        : engine.records.import(actor, 'contact', { format: 'csv', data: file })
    ).finally(() => (done = true));
    let last = performance.now();
    let longest = 0;
    let reads = 0;
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await engine.records.get(systemActor, 'company', companies[reads % COMPANIES]!);
      const now = performance.now();
      longest = Math.max(longest, now - last - 5);
      last = now;
      reads += 1;
    }
    await importing;
    return { longest, reads, ms: performance.now() - started };
  } finally {
    await setup.close();
  }
}

export async function run(): Promise<void> {
  console.log(`import benchmark: ${ROWS.toLocaleString('en')} rows per file, ${ROUNDS} alternating rounds`);
  const setup = await prepare();
  console.log(`  on ${setup.database.kind}`);
  const { engine, rep, actor, companies } = setup;
  const db = engine.database.db as unknown as Db;
  const figures: Figure[] = [];
  try {
    const empty = () => sql`delete from crm_data.contact`.execute(db);
    const importRate = async (csv: string) => {
      await empty();
      const { ms, value } = await timed(() => engine.records.import(actor, 'contact', { format: 'csv', data: csv }));
      if (value.summary.created !== ROWS) throw new Error(`expected ${ROWS} created, got ${JSON.stringify(value.summary)} ${JSON.stringify(value.results.find((r) => r.error))}`);
      return ROWS / (ms / 1000);
    };
    /** The file sent as the dialog sends it: parts of DIALOG_PART_ROWS, each under its own Idempotency-Key. */
    let keys = 0;
    const partsRate = async (csv: string) => {
      await empty();
      const parts = partsOf(csv);
      const { ms } = await timed(async () => {
        for (const part of parts) {
          keys += 1;
          const result = await engine.records.import(actor, 'contact', { format: 'csv', data: part }, { idempotency: { key: `bench-part-${keys}`, fingerprint: part } });
          if (result.summary.failed > 0) throw new Error(`a part failed: ${JSON.stringify(result.results.find((r) => r.error))}`);
        }
      });
      return ROWS / (ms / 1000);
    };
    const handRate = async (csv: string) => {
      await empty();
      const { ms } = await timed(() => handWritten(db, rep.id, csv));
      return ROWS / (ms / 1000);
    };

    // Warm-up: compiled metadata, prepared statements, the JIT.
    await importRate(csvOf(companies, -1, true));
    await handRate(csvOf(companies, -2, false));
    const byId: number[] = [];
    const byName: number[] = [];
    const plain: number[] = [];
    const inParts: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      byId.push(await importRate(csvOf(companies, round, false)));
      inParts.push(await partsRate(csvOf(companies, round, false)));
      byName.push(await importRate(csvOf(companies, round, true)));
      plain.push(await handRate(csvOf(companies, round, false)));
    }
    figures.push(figureOfRounds(`import by names (company by name, option by label, 是/否), ${ROWS} rows (baseline: by id)`, 'rows/s', byName, byId, true));
    figures.push(figureOfRounds(`import by id, ${ROWS} rows through the write pipeline (baseline: hand-written csv-parse + INSERT per row)`, 'rows/s', byId, plain, true));
    figures.push(figureOfRounds(`import by id in the dialog's parts of ${DIALOG_PART_ROWS} rows, a keyed call each (baseline: the whole file in one call)`, 'rows/s', inParts, byId, true));
  } finally {
    await setup.close();
  }
  const chunked = await readsDuringImport(IMPORT_CHUNK_ROWS);
  const whole = await readsDuringImport(1e9);
  const dialog = await readsDuringImport(IMPORT_CHUNK_ROWS, true);
  console.log(`  reads answered during the import: ${chunked.reads} in ${chunked.ms.toFixed(0)} ms chunked, ${whole.reads} in ${whole.ms.toFixed(0)} ms as one transaction`);
  figures.push(figure(`longest wait of another request while ${ROWS} rows are imported, ${IMPORT_CHUNK_ROWS} rows per transaction (baseline: one transaction)`, chunked.longest, 'ms', whole.longest, false));
  figures.push(figure(`longest wait of another request while ${ROWS} rows are imported as the dialog sends them, keyed parts of ${DIALOG_PART_ROWS} (baseline: one transaction)`, dialog.longest, 'ms', whole.longest, false));
  report('import', figures);
}
