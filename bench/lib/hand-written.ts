import type { FastifyInstance } from 'fastify';

/**
 * The baseline of `pnpm bench api`: what a developer would write by hand for the bench table,
 * Fastify routes with the same SQL as the generated ones and nothing else (no metadata, no
 * validation, no authentication, no logging).
 */
export const BENCH_COLUMNS = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at', 'title', 'amount', 'stage', 'close_date'];

/** The pool size of both servers: the same number of connections on each side. */
export const BENCH_POOL_SIZE = 10;

export type Row = Record<string, unknown>;
/** Runs SQL with $n parameters. */
export type RunSql = (text: string, values: unknown[]) => Promise<Row[]>;

const cols = BENCH_COLUMNS.join(', ');

/** The reads as a developer writes them: one record by id ($1), a page above an amount ($1). */
export const HAND_WRITTEN_READS = {
  get: `select ${cols} from crm_data.bench_deal where id = $1 and deleted_at is null`,
  list: `select ${cols} from crm_data.bench_deal where deleted_at is null and amount > $1 order by amount desc, id limit 51`,
};

/** The writes as a developer writes them: create ($1 actor, $2.. the values), update ($1 id, $2 amount, $3 actor). */
export const HAND_WRITTEN_WRITES = {
  create: `insert into crm_data.bench_deal (id, created_by, updated_by, owner_id, title, amount, stage, close_date) values (gen_random_uuid(), $1, $1, $1, $2, $3, $4, $5) returning ${cols}`,
  update: `update crm_data.bench_deal set amount = $2, version = version + 1, updated_at = now(), updated_by = $3 where id = $1 and deleted_at is null returning ${cols}`,
};

export function handWrittenRoutes(app: FastifyInstance, run: RunSql, actorId: string): void {
  app.get<{ Params: { id: string } }>('/bench/deal/:id', async (request, reply) => {
    const rows = await run(HAND_WRITTEN_READS.get, [request.params.id]);
    if (!rows[0]) return reply.status(404).send({ error: 'not found' });
    return rows[0];
  });
  app.get<{ Querystring: { min: string } }>('/bench/deal', async (request) => {
    const rows = await run(HAND_WRITTEN_READS.list, [request.query.min]);
    return { data: rows.slice(0, 50), next_cursor: rows.length > 50 ? 'x' : null };
  });
  app.post<{ Body: { title: string; amount: string; stage: string; close_date: string } }>('/bench/deal', async (request, reply) => {
    const b = request.body;
    const rows = await run(HAND_WRITTEN_WRITES.create, [actorId, b.title, b.amount, b.stage, b.close_date]);
    return reply.status(201).send(rows[0]);
  });
  app.patch<{ Params: { id: string }; Body: { amount: string } }>('/bench/deal/:id', async (request) => {
    const rows = await run(HAND_WRITTEN_WRITES.update, [request.params.id, request.body.amount, actorId]);
    return rows[0];
  });
  // Server CPU time, read before and after each run: CPU per request is steadier than requests/s on a busy machine.
  app.get('/bench/cpu', async () => process.cpuUsage());
}
