/**
 * `pnpm bench search`: what a text search (`q`) costs a list, next to the same list without it.
 * A company table of 1,000,000 records on PostgreSQL (100,000 on PGlite unless BENCH_ROWS says
 * otherwise) with mixed Chinese and English company names, e-mail addresses and phone numbers,
 * all three searched. Lists newest first, 50 a page, by a user who reads every record: without
 * q, and with an ASCII text and a two-character Chinese one, each with few and with many hits
 * (and a four-character Chinese text, and a single character, which is not index-backed);
 * alternating rounds, medians of ms per list. Then what the index costs: its size, how long
 * making a field searchable takes over the filled table, and record creates per second into the
 * table against the same table without search indexes (alternating rounds).
 *
 * Pinyin: Latin letters also find Chinese names by their pinyin and initials, through each
 * searched field's pinyin search key and its trigram index (migration 0013): full pinyin with
 * many and few hits, initials of two letters and of six; each against the same statement with
 * the key indexes switched off (the planner then walks the list's order or scans the table).
 *
 * Before measuring it checks that every search finds exactly the records ILIKE finds (and, for a
 * text of letters, LIKE over the pinyin keys), and that the planner reads the trigram indexes for
 * the rare texts and never scans the table (the run fails otherwise). BENCH_EXPLAIN=1 prints
 * EXPLAIN (ANALYZE, BUFFERS) of every search.
 * Uses DATABASE_URL when set (PostgreSQL), otherwise an in-memory PGlite.
 */
import { createEngine, systemActor, userActor, type Actor, type Engine } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { pinyinQuery } from '@crm/migrations/search-key';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { figure, report, type Figure } from './lib/results';
import { captureStatements } from './lib/statements';
import { median, throughput, timed } from './lib/timing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const EXPLAIN = Boolean(process.env.BENCH_EXPLAIN);
const SEARCHED = 'company';
/** The same fields and rows, searched by nothing: the baseline of creates. */
const PLAIN = 'company_plain';
const FIELDS = ['name', 'email', 'phone'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

interface Search {
  readonly label: string;
  readonly q: string;
  /** The planner must read the trigram index for it. */
  readonly rare: boolean;
  /** Found by the pinyin keys: timed again with their indexes off. */
  readonly pinyin?: true;
}

const SEARCHES: readonly Search[] = [
  { label: 'ASCII "zhao.min42", few hits', q: 'zhao.min42', rare: true },
  { label: 'ASCII "huaxin", many hits', q: 'huaxin', rare: false },
  { label: '2 Chinese characters "华信", few hits', q: '华信', rare: true },
  { label: '2 Chinese characters "科技", many hits', q: '科技', rare: false },
  { label: '4 Chinese characters "华信科技", few hits', q: '华信科技', rare: true },
  { label: '1 character "华" (not index-backed), many hits', q: '华', rare: false },
  { label: 'pinyin "huaxinyiyao" (华信医药...), few hits', q: 'huaxinyiyao', rare: true, pinyin: true },
  { label: 'pinyin "shenzhen", many hits', q: 'shenzhen', rare: false, pinyin: true },
  { label: 'initials "bjhxkj" (北京华信科技...), few hits', q: 'bjhxkj', rare: true, pinyin: true },
  { label: 'initials "hx", many hits', q: 'hx', rare: false, pinyin: true },
];
const PINYIN = SEARCHES.filter((s) => s.pinyin);

const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '南京', '成都', '武汉', '西安', '苏州', '天津', '重庆', '长沙', '青岛', '厦门', '宁波', '合肥', '郑州', '济南', '福州'];
const BRAND = [...'华信中创科达恒瑞泰盛鑫宏博联新天海金东方安康明德通汇兴隆源远航智云睿锦腾飞祥和丰永立正光辉嘉凯宇星晨诚美佳百福万众乐品益'];
const INDUSTRIES = ['科技', '贸易', '物流', '医药', '电子', '软件', '建设', '实业', '投资', '文化', '传媒', '食品', '机械', '能源', '环保', '教育', '咨询', '网络', '信息技术', '生物'];
const SUFFIXES = ['有限公司', '股份有限公司', '集团有限公司'];
const WORDS = ['Acme', 'Global', 'Pacific', 'Summit', 'Orient', 'Silver', 'Golden', 'Blue', 'Sun', 'Star', 'Nova', 'Apex', 'Prime', 'Vertex', 'Lotus', 'Dragon', 'Jade', 'Harbor', 'Bright', 'Smart'];
const TRADES = ['Tech', 'Trading', 'Logistics', 'Pharma', 'Electronics', 'Software', 'Holdings', 'Partners', 'Systems', 'Foods', 'Energy', 'Media', 'Consulting', 'Networks'];
const FORMS = ['Co., Ltd.', 'Inc.', 'Group', 'Limited', 'LLC'];
const SURNAMES = ['zhang', 'wang', 'li', 'zhao', 'chen', 'liu', 'yang', 'huang', 'zhou', 'wu', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'lin', 'luo', 'gao'];
const GIVEN = ['wei', 'fang', 'na', 'min', 'jing', 'lei', 'qiang', 'jun', 'yang', 'yong', 'yan', 'jie', 'tao', 'ming', 'chao', 'xiu', 'xia', 'hui', 'peng', 'hua'];
const DOMAINS = ['huaxin', 'zhongda', 'acme', 'sinotech', 'qq', '163', 'gmail', 'outlook', 'pacific', 'jadeco'];
const TLDS = ['.com', '.cn', '.com.cn'];
const MOBILE = ['38', '39', '50', '51', '86', '87', '88', '36', '37', '58'];
const AREAS = ['10', '21', '20', '755', '571', '25', '28', '27', '29', '512'];

/**
 * Seven in ten names Chinese (city, a two-character brand, trade, legal form), the rest English;
 * e-mail addresses of pinyin names at company and mail domains; mobile and landline numbers.
 * Deterministic per row; created_at grows with the row number (30 s apart), as in a table filled by use.
 */
async function fill(db: Db, table: string, owner: string, rows: number): Promise<void> {
  const batch = 100_000;
  for (let done = 0; done < rows; done += batch) {
    const n = Math.min(batch, rows - done);
    await sql`
      insert into crm_data.${sql.id(table)} (id, created_at, updated_at, created_by, updated_by, owner_id, name, email, phone)
      select gen_random_uuid(), x.at, x.at, ${owner}::uuid, ${owner}::uuid, ${owner}::uuid,
        case when x.h % 10 < 7
          then (${CITIES}::text[])[x.h % 20 + 1] || (${BRAND}::text[])[(x.h / 20) % 60 + 1] || (${BRAND}::text[])[(x.h / 1200) % 60 + 1]
               || (${INDUSTRIES}::text[])[(x.h / 72000) % 20 + 1] || (${SUFFIXES}::text[])[(x.h / 1440000) % 3 + 1]
          else (${WORDS}::text[])[x.h % 20 + 1] || ' ' || (${TRADES}::text[])[(x.h / 20) % 14 + 1] || ' ' || (${FORMS}::text[])[(x.h / 280) % 5 + 1]
        end,
        (${SURNAMES}::text[])[x.e % 20 + 1] || '.' || (${GIVEN}::text[])[(x.e / 20) % 20 + 1] || ((x.e / 400) % 100)::text
          || '@' || (${DOMAINS}::text[])[(x.e / 40000) % 10 + 1] || (${TLDS}::text[])[(x.e / 400000) % 3 + 1],
        case when x.p % 5 < 4
          then '1' || (${MOBILE}::text[])[x.p % 10 + 1] || lpad(((x.p / 10) % 100000000)::text, 8, '0')
          else '0' || (${AREAS}::text[])[x.p % 10 + 1] || '-' || lpad(((x.p / 10) % 100000000)::text, 8, '0')
        end
      from generate_series(${done + 1}::int, ${done + n}::int) g,
        lateral (select abs(hashint4(g)) as h, abs(hashint4(g + 1000000007)) as e, abs(hashint8(g)) as p,
                        timestamptz '2024-01-01' + g * interval '30 seconds' as at) x`.execute(db);
  }
}

/** A record like the filled ones, for the create rate. */
function newCompany(i: number): Record<string, string> {
  const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;
  const chinese = i % 10 < 7;
  return {
    name: chinese ? `${pick(CITIES, i)}${pick(BRAND, i * 7)}${pick(BRAND, i * 13)}${pick(INDUSTRIES, i * 3)}${pick(SUFFIXES, i)}` : `${pick(WORDS, i)} ${pick(TRADES, i * 3)} ${pick(FORMS, i)}`,
    email: `${pick(SURNAMES, i)}.${pick(GIVEN, i * 7)}${i % 100}@${pick(DOMAINS, i * 3)}${pick(TLDS, i)}`,
    phone: `1${pick(MOBILE, i)}${String((i * 7919) % 100_000_000).padStart(8, '0')}`,
  };
}

/** Index names and node types of a JSON plan. */
function planNodes(node: Record<string, unknown>): { type: string; index?: string }[] {
  const here = { type: String(node['Node Type']), ...(typeof node['Index Name'] === 'string' ? { index: node['Index Name'] } : {}) };
  const children = (node['Plans'] as Record<string, unknown>[] | undefined) ?? [];
  return [here, ...children.flatMap(planNodes)];
}

async function explainJson(db: Db, statement: CompiledQuery): Promise<Record<string, unknown>> {
  const result = await db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${statement.sql}`, [...statement.parameters]));
  const raw = result.rows[0]!['QUERY PLAN'];
  return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: Record<string, unknown> }[])[0]!.Plan;
}

/** ms per call: `op` run for a share of the time in each of the alternating rounds. */
async function alternating(ops: readonly (() => Promise<unknown>)[]): Promise<number[][]> {
  const perRun = (SECONDS * 1000) / ROUNDS;
  const runs = ops.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < ops.length; i++) runs[i]!.push(await throughput(ops[i]!, perRun));
  }
  return runs;
}

async function sizeMb(db: Db, relation: string): Promise<number> {
  const result = await sql<{ bytes: string }>`select pg_relation_size(${relation}::regclass)::text as bytes`.execute(db);
  return Number(result.rows[0]!.bytes) / 1024 / 1024;
}

export async function run(): Promise<void> {
  const database = await createTestDatabase();
  const postgres = database.kind === 'postgres';
  const rows = Number(process.env.BENCH_ROWS ?? (postgres ? 1_000_000 : 100_000));
  console.log(
    `search benchmark on ${database.kind}${postgres ? '' : ' (the 1,000,000-row figure is meant for PostgreSQL: set DATABASE_URL; PGlite defaults to 100,000 rows)'}, ` +
      `${rows.toLocaleString('en')} companies, ${SECONDS}s per figure`,
  );
  const engine: Engine = await createEngine(database.options);
  const db = engine.database.db as unknown as Db;
  const figures: Figure[] = [];
  try {
    for (const object of [SEARCHED, PLAIN]) {
      await engine.objects.create(systemActor, {
        name: object,
        label: 'Company',
        title_field: 'name',
        fields: FIELDS.map((name) => ({ name, type: name === 'name' ? 'text' : name, label: name, searchable: false })),
      });
    }
    await engine.roles.create(systemActor, { name: 'reader_all', label: 'Reader', objects: Object.fromEntries([SEARCHED, PLAIN].map((o) => [o, { read: true, create: true, read_scope: 'all' }])) });
    const user = await engine.users.create(systemActor, { name: 'Reader', roles: ['reader_all'] });
    const actor: Actor = userActor(user.id);

    const filled = await timed(async () => {
      await fill(db, SEARCHED, user.id, rows);
      await fill(db, PLAIN, user.id, rows);
    });
    console.log(`  ${rows.toLocaleString('en')} companies inserted into each of the two tables in ${(filled.ms / 1000).toFixed(1)}s`);

    // Each field made searchable through the engine, as an administrator would: the index is
    // built over the filled table and the table analyzed, in the metadata change's transaction.
    for (const field of FIELDS) {
      const made = await timed(() => engine.fields.update(systemActor, SEARCHED, field, { searchable: true }));
      figures.push(figure(`make ${field} searchable over ${rows.toLocaleString('en')} rows (index built, table analyzed)`, made.ms / 1000, 's', null, false));
    }
    await sql`analyze crm_data.${sql.id(PLAIN)}`.execute(db);
    const tableMb = await sizeMb(db, `crm_data.${SEARCHED}`);
    const indexes = await sql<{ index: string; column: string }>`
      select indexname as index, substring(indexdef from 'search_text\\((\\w+)\\)') as column
      from pg_indexes where schemaname = 'crm_data' and tablename = ${SEARCHED} and indexname like 'trg\\_%' order by 2`.execute(db);
    figures.push(figure('the table (heap), size', tableMb, 'MB', null, false));
    for (const { index, column } of indexes.rows) figures.push(figure(`trigram index of ${column}, size`, await sizeMb(db, `crm_data.${index}`), 'MB', null, false));

    const keys = await sql<{ key: string; index: string }>`
      select column_name as key, 'pyk_' || substring(column_name from 5) as index from information_schema.columns
      where table_schema = 'crm_data' and table_name = ${SEARCHED} and column_name like '\_py\_%' order by 1`.execute(db);
    for (const { index } of keys.rows) figures.push(figure(`pinyin key index ${index.slice(0, 12)}..., size`, await sizeMb(db, `crm_data.${index}`), 'MB', null, false));

    // Every search finds exactly what ILIKE finds over the table without index, and a text of
    // letters also what plain LIKE finds over the pinyin keys (read without their index).
    const hits = new Map<string, number>();
    for (const s of SEARCHES) {
      const total = (await engine.records.list(actor, SEARCHED, { search: s.q, limit: 1, count: true })).total!;
      const pattern = `%${s.q}%`;
      const letters = pinyinQuery(s.q);
      const spelled = letters === undefined ? sql`false` : sql.join(keys.rows.map((k) => sql`${sql.ref(k.key)} like ${`%${letters}%`}`), sql` or `);
      const ilike = await sql<{ n: number }>`
        select count(*)::int as n from crm_data.${sql.id(SEARCHED)} where name ilike ${pattern} or email ilike ${pattern} or phone ilike ${pattern} or ${spelled}`.execute(db);
      if (total !== ilike.rows[0]!.n) throw new Error(`search "${s.q}" finds ${total} records, ILIKE ${ilike.rows[0]!.n}`);
      hits.set(s.q, total);
      console.log(`  ${s.label}: ${total.toLocaleString('en')} records (${((100 * total) / rows).toFixed(3)}%)`);
    }

    // The planner reads the trigram index for rare texts and never scans the table.
    const capture = captureStatements(db);
    for (const s of SEARCHES) {
      capture.on(true);
      await engine.records.list(actor, SEARCHED, { search: s.q });
      capture.on(false);
      const statement = capture.last()!;
      const nodes = planNodes(await explainJson(db, statement));
      const usesTrigrams = nodes.some((n) => n.index?.startsWith('trg_') || n.index?.startsWith('pyk_'));
      const scans = nodes.some((n) => n.type === 'Seq Scan');
      console.log(`  plan of ${s.label}: ${nodes.map((n) => (n.index ? `${n.type} on ${n.index}` : n.type)).join(' > ')}`);
      if ((s.rare && !usesTrigrams) || scans) throw new Error(`the planner does not read the trigram index as expected for "${s.q}"`);
      if (EXPLAIN) {
        const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${statement.sql}`, [...statement.parameters]));
        console.log(`\n-- ${s.label}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
      }
    }

    // Lists: without q and with each text, alternating; warmed up first.
    const lists = [() => engine.records.list(actor, SEARCHED, {}), ...SEARCHES.map((s) => () => engine.records.list(actor, SEARCHED, { search: s.q }))];
    for (let i = 0; i < 10; i++) for (const list of lists) await list();
    const listRuns = await alternating(lists);
    const perList = listRuns.map((r) => 1000 / median(r));
    figures.push(figure('list newest first, without q', perList[0]!, 'ms', null, false));
    SEARCHES.forEach((s, i) => figures.push(figure(`list newest first, q: ${s.label} (baseline: without q)`, perList[i + 1]!, 'ms', perList[0]!, false)));

    // As before this change: ILIKE over the table, which has no index to read (the old list's SQL).
    for (const s of SEARCHES.filter((x) => x.rare && !x.pinyin)) {
      const pattern = `%${s.q}%`;
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        times.push(
          (
            await timed(() =>
              sql`select id, created_at, name, email, phone from crm_data.${sql.id(PLAIN)}
                  where deleted_at is null and (name ilike ${pattern} or email ilike ${pattern} or phone ilike ${pattern})
                  order by created_at desc limit 51`.execute(db),
            )
          ).ms,
        );
      }
      const indexed = perList[SEARCHES.indexOf(s) + 1]!;
      figures.push(figure(`list with q: ${s.label}, indexed (baseline: ILIKE without index, as before)`, indexed, 'ms', median(times), false));
    }

    // Pinyin: the same statement with the key indexes off (bitmap scans disabled, as no other
    // index serves the condition): the planner walks the list's order, or scans the table.
    for (const s of PINYIN) {
      capture.on(true);
      await engine.records.list(actor, SEARCHED, { search: s.q });
      capture.on(false);
      const statement = capture.last()!;
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        times.push(
          (
            await timed(() =>
              db.transaction().execute(async (trx) => {
                await sql`set local enable_bitmapscan = off`.execute(trx);
                await trx.executeQuery(CompiledQuery.raw(statement.sql, [...statement.parameters]));
              }),
            )
          ).ms,
        );
      }
      const indexed = perList[SEARCHES.indexOf(s) + 1]!;
      figures.push(figure(`list with q: ${s.label}, pinyin key indexed (baseline: same statement, key index off)`, indexed, 'ms', median(times), false));
    }

    // Creates into the searched table against the same table without search indexes.
    let n = rows;
    const creates = await alternating([SEARCHED, PLAIN].map((object) => () => engine.records.create(actor, object, newCompany(n++))));
    const [searchedRate, plainRate] = creates.map((r) => median(r));
    figures.push(figure('record creates with 3 searched fields: 3 trigram indexes, 3 pinyin keys and their indexes (baseline: none)', searchedRate!, 'creates/s', plainRate!, true));
  } finally {
    await engine.close();
    await database.drop();
  }
  report('search', figures);
}
