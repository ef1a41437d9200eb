/**
 * `pnpm bench security`: list throughput under record-level access control. A deal table of
 * 1,000,000 records (PostgreSQL; 100,000 on PGlite unless BENCH_ROWS says otherwise) owned by
 * 1,000 users in a 5-level department tree; users whose role reads "own department and below"
 * list it, against a user whose role reads every record (no predicate), in the same run.
 * Uses DATABASE_URL when set (PostgreSQL), otherwise an in-memory PGlite.
 * BENCH_EXPLAIN=1 also prints EXPLAIN ANALYZE of each measured statement.
 */
import { createEngine, systemActor, userActor, type Actor, type Engine, type ListOptions } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { figure, report, type Figure } from './lib/results';
import { captureStatements } from './lib/statements';
import { median, throughput, timed } from './lib/timing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const EXPLAIN = Boolean(process.env.BENCH_EXPLAIN);
const OBJECT = 'deal';
const USERS = 1_000;
/** Children per department at each level below the root: 1 + 5 + 20 + 80 + 160 = 266 departments in 5 levels. */
const FAN_OUT = [5, 4, 4, 2];
const SHARES = 2_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

interface Department {
  id: string;
  level: number;
  parent: Department | null;
  children: Department[];
  users: string[];
}

interface Subject {
  label: string;
  actor: Actor;
  /** Undefined for the unrestricted baseline. */
  scope?: { departments: number; users: number; records: number };
  /** Cursor of page 4, so that the measured request is page 5. */
  cursor?: string;
}

async function buildOrganisation(engine: Engine): Promise<{ root: Department; all: Department[] }> {
  const all: Department[] = [];
  const create = async (name: string, parent: Department | null, level: number): Promise<Department> => {
    const created = await engine.departments.create(systemActor, { name, parent_id: parent?.id ?? null });
    const department: Department = { id: created.id, level, parent, children: [], users: [] };
    parent?.children.push(department);
    all.push(department);
    return department;
  };
  const root = await create('Company', null, 1);
  let level = [root];
  for (let depth = 0; depth < FAN_OUT.length; depth++) {
    const next: Department[] = [];
    for (const parent of level) {
      for (let i = 0; i < FAN_OUT[depth]!; i++) next.push(await create(`L${depth + 2} ${next.length + 1}`, parent, depth + 2));
    }
    level = next;
  }
  return { root, all };
}

/**
 * One head per non-leaf department, the rest of the 1,000 spread round-robin over the leaf teams
 * (5-6 each). Everyone reads "own department and below" except one leaf user reading everything
 * and one reading only their own records.
 */
async function createUsers(engine: Engine, all: Department[]): Promise<{ baselineUser: string; ownUser: string }> {
  const leaves = all.filter((d) => d.children.length === 0);
  const heads = all.filter((d) => d.children.length > 0);
  const placement = [...heads, ...Array.from({ length: USERS - heads.length }, (_, i) => leaves[i % leaves.length]!)];
  let baselineUser = '';
  let ownUser = '';
  for (let i = 0; i < placement.length; i++) {
    const department = placement[i]!;
    const baseline = i === placement.length - 1;
    const own = i === placement.length - 2;
    const user = await engine.users.create(systemActor, { name: `User ${i + 1}`, department_id: department.id, roles: [baseline ? 'rep_all' : own ? 'rep_own' : 'rep_below'] });
    department.users.push(user.id);
    if (baseline) baselineUser = user.id;
    if (own) ownUser = user.id;
  }
  return { baselineUser, ownUser };
}

async function fill(db: Db, owners: string[], rows: number): Promise<void> {
  // Owners evenly spread (record g belongs to user g mod 1,000), interleaved in time; created_at
  // grows with insertion order (30 s apart), as it would in a table filled by use.
  const batch = 100_000;
  for (let done = 0; done < rows; done += batch) {
    const n = Math.min(batch, rows - done);
    await sql`
      insert into crm_data.deal (id, created_at, updated_at, created_by, updated_by, owner_id, title, amount, stage, close_date)
      select gen_random_uuid(), o.at, o.at, o.owner, o.owner, o.owner, 'deal ' || g, (abs(hashint4(g)) % 100000) + 0.5,
             (array['new', 'qualified', 'won', 'lost'])[abs(hashint4(g + 7)) % 4 + 1], date '2024-01-01' + (g % 730)
      from generate_series(${done + 1}::int, ${done + n}::int) g,
           lateral (select (${owners}::uuid[])[(g % ${owners.length}) + 1] as owner, timestamptz '2024-01-01' + g * interval '30 seconds' as at) o`.execute(db);
  }
}

/** Shares, as a live system has them: records shared with random users and departments. */
async function share(db: Db, objectId: string, departments: string[], users: string[]): Promise<void> {
  await sql`
    insert into crm_meta.record_shares (id, object_id, record_id, user_id, department_id, access, granted_by)
    select gen_random_uuid(), ${objectId}::uuid, r.id,
           case when r.n % 2 = 0 then (${users}::uuid[])[(r.n * 7) % ${users.length} + 1] end,
           case when r.n % 2 = 1 then (${departments}::uuid[])[(r.n * 13) % ${departments.length} + 1] end,
           case when r.n % 3 = 0 then 'edit' else 'read' end, ${users[0]}::uuid
    from (select id, row_number() over () as n from (select id from crm_data.deal order by random() limit ${SHARES}) x) r`.execute(db);
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `array[${value.map(literal).join(', ')}]`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

function countRecords(db: Db, users: string[], userId: string, lineage: string[], objectId: string): Promise<number> {
  // What "department and below" must select: records owned by a user of the subtree, plus shares with the user or their lineage.
  return sql<{ n: number }>`
    select count(*)::int as n from crm_data.deal d
    where deleted_at is null and (owner_id = any(${users}::uuid[]) or exists (
      select 1 from crm_meta.record_shares s where s.object_id = ${objectId}::uuid and s.record_id = d.id
        and (s.user_id = ${userId}::uuid or s.department_id = any(${lineage}::uuid[]))))`
    .execute(db)
    .then((r) => r.rows[0]!.n);
}

export async function run(): Promise<void> {
  const database = await createTestDatabase();
  const postgres = database.kind === 'postgres';
  const rows = Number(process.env.BENCH_ROWS ?? (postgres ? 1_000_000 : 100_000));
  console.log(
    `security benchmark on ${database.kind}${postgres ? '' : ' (the 1,000,000-row figure is meant for PostgreSQL: set DATABASE_URL; PGlite defaults to 100,000 rows)'}, ` +
      `${rows.toLocaleString('en')} records, ${USERS} users, ${SECONDS}s per figure`,
  );
  const engine = await createEngine(database.options);
  const db = engine.database.db as unknown as Db;
  const figures: Figure[] = [];
  try {
    const setup = await timed(async () => {
      await engine.objects.create(systemActor, {
        name: OBJECT,
        label: 'Deal',
        title_field: 'title',
        fields: [
          { name: 'title', type: 'text', label: 'Title', required: true },
          { name: 'amount', type: 'currency', label: 'Amount', indexed: true },
          {
            name: 'stage',
            type: 'select',
            label: 'Stage',
            options: ['new', 'qualified', 'won', 'lost'].map((value) => ({ value, label: value })),
          },
          { name: 'close_date', type: 'date', label: 'Close' },
        ],
      });
      const permission = { create: true, read: true, edit: true, delete: true, export: true };
      await engine.roles.create(systemActor, { name: 'rep_below', label: { en: 'Rep (own department and below)' }, objects: { [OBJECT]: { ...permission, read_scope: 'department_and_below' } } });
      await engine.roles.create(systemActor, { name: 'rep_own', label: { en: 'Rep (own records)' }, objects: { [OBJECT]: { ...permission, read_scope: 'own' } } });
      await engine.roles.create(systemActor, { name: 'rep_all', label: { en: 'Rep (all records)' }, objects: { [OBJECT]: { ...permission, read_scope: 'all' } } });
      const organisation = await buildOrganisation(engine);
      const { baselineUser, ownUser } = await createUsers(engine, organisation.all);
      return { ...organisation, baselineUser, ownUser };
    });
    const { root, all, baselineUser, ownUser } = setup.value;
    console.log(`  ${all.length} departments in 5 levels and ${USERS} users created through the engine in ${(setup.ms / 1000).toFixed(1)}s`);

    const owners = all.flatMap((d) => d.users);
    const filled = await timed(async () => {
      await fill(db, owners, rows);
      const objectId = (await sql<{ id: string }>`select id from crm_meta.objects where name = ${OBJECT}`.execute(db)).rows[0]!.id;
      await share(db, objectId, all.map((d) => d.id), owners);
      await sql`analyze crm_data.deal`.execute(db);
      // As autovacuum would have by now: the organisation tables were filled through the engine.
      await sql`analyze crm_meta.record_shares, crm_meta.users, crm_meta.departments, crm_meta.department_closure`.execute(db);
      return objectId;
    });
    const objectId = filled.value;
    console.log(`  ${rows.toLocaleString('en')} deals (owners evenly spread, ${rows / USERS} each) and ${SHARES} shares inserted in ${(filled.ms / 1000).toFixed(1)}s`);

    const subtree = (d: Department): Department[] => [d, ...d.children.flatMap(subtree)];
    const lineage = (d: Department): string[] => (d.parent ? [d.id, ...lineage(d.parent)] : [d.id]);
    const pick = (level: number) => all.find((d) => d.level === level)!;
    const describe = async (label: string, department: Department, userId: string): Promise<Subject> => {
      const departments = subtree(department);
      const users = departments.flatMap((d) => d.users);
      return {
        label,
        actor: userActor(userId),
        scope: { departments: departments.length, users: users.length, records: await countRecords(db, users, userId, lineage(department), objectId) },
      };
    };
    const leaf = pick(5);
    const subjects: Subject[] = [
      { label: 'all records (baseline)', actor: userActor(baselineUser) },
      await describe('level-3 head (mid-level)', pick(3), pick(3).users[0]!),
      await describe('leaf-team member', leaf, leaf.users[1]!),
      await describe('level-2 head', pick(2), pick(2).users[0]!),
      await describe('root head (whole company)', root, root.users[0]!),
    ];
    // A rep reading only their own records (and what is shared with them or their departments).
    const ownDepartment = all.find((d) => d.users.includes(ownUser))!;
    subjects.push({
      label: 'sales rep (own records)',
      actor: userActor(ownUser),
      scope: { departments: 1, users: 1, records: await countRecords(db, [ownUser], ownUser, lineage(ownDepartment), objectId) },
    });
    for (const s of subjects.slice(1)) {
      console.log(`  ${s.label}: scope reaching ${s.scope!.departments} department(s), ${s.scope!.users} owner(s), ${s.scope!.records.toLocaleString('en')} visible records (${((100 * s.scope!.records) / rows).toFixed(2)}%)`);
    }

    const filter = { '>': [{ var: 'amount' }, 90_000] };
    const queries: { name: string; options: (s: Subject) => ListOptions }[] = [
      { name: 'list newest first', options: () => ({ limit: 50 }) },
      { name: 'list amount > 90,000 sorted -amount', options: () => ({ limit: 50, filter, sort: '-amount' }) },
      { name: 'list newest first, page 5 (keyset)', options: (s) => ({ limit: 50, cursor: s.cursor! }) },
    ];

    // Check what each subject sees (the predicate selects exactly its scope) and find the page-5 cursors.
    for (const s of subjects) {
      const counted = await engine.records.list(s.actor, OBJECT, { limit: 1, count: true });
      const expected = s.scope?.records ?? rows;
      if (counted.total !== expected) throw new Error(`${s.label} sees ${counted.total} records, expected ${expected}`);
      let cursor: string | undefined;
      for (let page = 0; page < 4; page++) cursor = (await engine.records.list(s.actor, OBJECT, { limit: 50, ...(cursor ? { cursor } : {}) })).next_cursor ?? undefined;
      if (!cursor) throw new Error(`${s.label} has fewer than 5 pages`);
      s.cursor = cursor;
    }

    // Warm up every statement for every subject (plans, caches, JIT).
    for (let i = 0; i < 30; i++) for (const s of subjects) for (const q of queries) await engine.records.list(s.actor, OBJECT, q.options(s));

    const concurrencies = postgres ? [1, 8] : [1];
    const perRun = (SECONDS * 1000) / ROUNDS;
    for (const q of queries) {
      for (const c of concurrencies) {
        // Alternate the subjects so drift (autovacuum, cache) hits all alike; medians of the rounds.
        const runs = subjects.map(() => [] as number[]);
        for (let round = 0; round < ROUNDS; round++) {
          for (let i = 0; i < subjects.length; i++) {
            const s = subjects[i]!;
            const options = q.options(s);
            runs[i]!.push(await throughput(() => engine.records.list(s.actor, OBJECT, options), perRun, c));
          }
        }
        const baseline = median(runs[0]!);
        figures.push(figure(`${q.name}, ${subjects[0]!.label}, ${c} in flight`, baseline, 'req/s', null, true));
        for (let i = 1; i < subjects.length; i++) figures.push(figure(`${q.name}, ${subjects[i]!.label}, ${c} in flight`, median(runs[i]!), 'req/s', baseline, true));
      }
    }

    // The statements themselves, timed by the server (plan + execute, no round trip or driver),
    // run as the engine runs them: prepared once on a connection and executed again and again
    // (PostgreSQL moves to a generic plan after five runs when it is as good; the first ten runs
    // are not counted). What the predicate costs the database, steadier than requests/s.
    const capture = captureStatements(db);
    const statements: CompiledQuery[][] = [];
    for (const q of queries) {
      const row: CompiledQuery[] = [];
      for (const s of subjects) {
        capture.on(true);
        await engine.records.list(s.actor, OBJECT, q.options(s));
        capture.on(false);
        row.push(capture.last()!);
      }
      statements.push(row);
    }
    await db.connection().execute(async (connection) => {
      for (let qi = 0; qi < queries.length; qi++) {
        const times = subjects.map(() => [] as number[]);
        for (let i = 0; i < subjects.length; i++) {
          const statement = statements[qi]![i]!;
          const name = `bench_${qi}_${i}`;
          await connection.executeQuery(CompiledQuery.raw(`prepare ${name} as ${statement.sql}`));
          // EXPLAIN takes no bound parameters: the benchmark's own values, written as literals.
          const args = statement.parameters.map(literal).join(', ');
          for (let k = 0; k < 41; k++) {
            const result = await connection.executeQuery<{ 'QUERY PLAN': unknown }>(
              CompiledQuery.raw(`explain (analyze, timing off, summary, format json) execute ${name}${args ? `(${args})` : ''}`),
            );
            const raw = result.rows[0]!['QUERY PLAN'];
            const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { 'Planning Time': number; 'Execution Time': number }[];
            if (k >= 10) times[i]!.push(1000 * (plan[0]!['Planning Time'] + plan[0]!['Execution Time']));
          }
          await connection.executeQuery(CompiledQuery.raw(`deallocate ${name}`));
        }
        const baseline = median(times[0]!);
        figures.push(figure(`${queries[qi]!.name}, ${subjects[0]!.label}, server time (plan + execute)`, baseline, 'µs', null, false));
        for (let i = 1; i < subjects.length; i++) figures.push(figure(`${queries[qi]!.name}, ${subjects[i]!.label}, server time (plan + execute)`, median(times[i]!), 'µs', baseline, false));
      }
    });

    if (EXPLAIN) {
      for (let qi = 0; qi < queries.length; qi++) {
        for (let i = 0; i < subjects.length; i++) {
          const statement = statements[qi]![i]!;
          const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${statement.sql}`, [...statement.parameters]));
          // Owner lists run to 1,000 ids: shown as their length.
          const text = plan.rows.map((r) => r['QUERY PLAN'].replace(/'\{[0-9a-f-]{36}(,[0-9a-f-]{36})*\}'/g, (m) => `'{${Math.round((m.length - 3) / 37)} ids}'`)).join('\n');
          console.log(`\n-- ${queries[qi]!.name}, ${subjects[i]!.label}\n${text}`);
        }
      }
    }
  } finally {
    await engine.close();
    await database.drop();
  }
  report('security', figures);
}
