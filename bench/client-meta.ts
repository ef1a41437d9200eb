/**
 * `pnpm bench client-meta`: what GET /api/meta/client costs on the sales template, through the
 * product's app (authentication included) with in-process requests (app.inject, so the network
 * is out of the figures): a full 200, a 304 for an unchanged workspace (If-None-Match), and the
 * first answer after a metadata change (a new revision: the projection is built again), each
 * against GET /api/meta/objects in the same run as the baseline. A full 200 is also set against a
 * bare route answering the same JSON (no auth, no engine call): what moving that body costs.
 * As a rep (sales_rep role) and as an administrator. Uses DATABASE_URL when set (PostgreSQL),
 * otherwise an in-memory PGlite.
 */
import { createEngine, installTemplate, systemActor, userActor } from '@crm/engine';
import { createTestDatabase } from '@crm/engine/test-database';
import { buildApp } from '@crm/server';
import { readTemplate } from '@crm/templates';
import { figure, report, type Figure } from './lib/results';
import { median, throughput } from './lib/timing';

const MS = Number(process.env.BENCH_MS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export async function run(): Promise<void> {
  const database = await createTestDatabase();
  const engine = await createEngine(database.options);
  const app = await buildApp(engine, { auth: { secureCookies: false } });
  // The same JSON from a route that does nothing else (a copy, so no cache is shared).
  let sameBody: unknown;
  app.get('/bench/same-body', async () => sameBody);
  try {
    await installTemplate(engine, systemActor, readTemplate('sales'));
    const admin = await engine.users.create(systemActor, { name: 'Bench admin', email: 'admin@example.com', roles: ['administrator'] });
    const rep = await engine.users.create(systemActor, { name: 'Bench rep', email: 'rep@example.com', roles: ['sales_rep'] });
    const tokens = {
      rep: (await engine.auth.createToken(userActor(rep.id), { name: 'bench' })).token,
      administrator: (await engine.auth.createToken(userActor(admin.id), { name: 'bench' })).token,
    };
    const get = async (url: string, token: string, headers: Record<string, string> = {}) => {
      const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });
      if (response.statusCode !== 200 && response.statusCode !== 304) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response;
    };

    const figures: Figure[] = [];
    for (const [who, token] of Object.entries(tokens)) {
      const first = await get('/api/meta/client', token);
      const etag = first.headers.etag as string;
      const size = Buffer.byteLength(first.body);
      const objectsSize = Buffer.byteLength((await get('/api/meta/objects', token)).body);
      sameBody = JSON.parse(first.body) as unknown;
      const rates = { full: [] as number[], notModified: [] as number[], objects: [] as number[], sameBody: [] as number[] };
      // Alternating rounds, so that load from the other helpers on this machine falls on all three alike.
      for (let round = 0; round < ROUNDS; round++) {
        rates.objects.push(await throughput(() => get('/api/meta/objects', token), MS));
        rates.full.push(await throughput(() => get('/api/meta/client', token), MS));
        rates.notModified.push(await throughput(() => get('/api/meta/client', token, { 'if-none-match': etag }), MS));
        rates.sameBody.push(await throughput(() => get('/bench/same-body', token), MS));
      }
      const baseline = median(rates.objects);
      figures.push(figure(`${who}: GET /api/meta/client 200 (${Math.round(size / 1024)} KiB; objects list ${Math.round(objectsSize / 1024)} KiB)`, median(rates.full), 'req/s', baseline, true));
      figures.push(figure(`${who}: GET /api/meta/client 304`, median(rates.notModified), 'req/s', baseline, true));
      figures.push(figure(`${who}: GET /api/meta/client 200 against a bare route with the same body`, median(rates.full), 'req/s', median(rates.sameBody), true));
    }

    // After a metadata change the first answer builds the projection again (one per revision and grants).
    const rebuilds: number[] = [];
    const objectsAfterChange: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await engine.objects.update(systemActor, 'account', { description: `change ${i}` });
      let start = performance.now();
      await get('/api/meta/client', tokens.rep);
      rebuilds.push(performance.now() - start);
      await engine.objects.update(systemActor, 'account', { description: `change ${i}b` });
      start = performance.now();
      await get('/api/meta/objects', tokens.rep);
      objectsAfterChange.push(performance.now() - start);
    }
    figures.push(figure('rep: first GET /api/meta/client after a metadata change', median(rebuilds), 'ms', median(objectsAfterChange), false));
    report('client-meta', figures);
    console.log('baseline: GET /api/meta/objects for the same caller in the same run (after a change: its first answer), or where named a bare route answering the same JSON. Shared, loaded machine: figures are noisy.');
  } finally {
    await app.close();
    await engine.close();
    await database.drop();
  }
}
