import { rmSync } from 'node:fs';
import { createEngine, systemActor } from '@crm/engine';
import { createTestDatabase, createTestDataDir } from '@crm/engine/testing';
import { describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../support/spawn-server';
import { startTestServer, stopTestServer } from '../support/test-server';

const ADMIN = { email: 'ops@example.com', password: 'correct horse battery staple' };

/** Signs in as the bootstrapped administrator and mints an API token. */
async function tokenFor(server: ServerProcess): Promise<string> {
  const signIn = await fetch(`${server.base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = (await signIn.json()) as { csrf_token: string };
  const token = await fetch(`${server.base}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
    body: JSON.stringify({ name: 'process test' }),
  });
  expect(token.status).toBe(201);
  return ((await token.json()) as { token: string }).token;
}

describe('server processes', () => {
  it('a second server process sees a metadata change within a second', async (context) => {
    if (!process.env.DATABASE_URL) {
      context.skip('PGlite is one process; several server processes need PostgreSQL (DATABASE_URL)');
      return;
    }
    const database = await createTestDatabase();
    const first = await startTestServer({ database });
    const second = await spawnServer({ DATABASE_URL: database.options.databaseUrl!, CRM_ADMIN_PASSWORD: ADMIN.password, CRM_ADMIN_EMAIL: ADMIN.email });
    try {
      const headers = { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' };
      expect((await first.api('POST', '/api/meta/objects', { name: 'shared', label: 'Shared' })).status).toBe(201);
      // The second process knows the object (so what follows can only come from the notification)...
      expect((await fetch(`${second.base}/api/meta/objects/shared/fields`, { headers })).status).toBe(200);
      expect((await first.api('POST', '/api/meta/objects/shared/fields', { name: 'fresh', type: 'integer', label: 'Fresh' })).status).toBe(201);
      const started = Date.now();
      let seen = false;
      while (!seen && Date.now() - started < 1000) {
        const fields = (await (await fetch(`${second.base}/api/meta/objects/shared/fields`, { headers })).json()) as { data: { name: string }[] };
        seen = fields.data.some((f) => f.name === 'fresh');
        if (!seen) await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen, 'the second process did not see the new field within one second').toBe(true);
      const created = await fetch(`${second.base}/api/records/shared`, { method: 'POST', headers, body: JSON.stringify({ fresh: 5 }) });
      expect(created.status).toBe(201);
    } finally {
      await second.stop();
      await stopTestServer(first);
    }
  });

  it('finishes in-flight requests on SIGTERM and leaves no half-written records', async () => {
    const dataDir = await createTestDataDir('crm-shutdown-');
    const database = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
    const env: Record<string, string> = database ? { DATABASE_URL: database.options.databaseUrl! } : { CRM_DATA_DIR: dataDir };
    const server = await spawnServer({ ...env, CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password });
    let answered = 0;
    try {
      const token = await tokenFor(server);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      expect((await fetch(`${server.base}/api/meta/objects`, { method: 'POST', headers, body: JSON.stringify({ name: 'order_line', label: 'Line', fields: [{ name: 'n', type: 'integer', label: 'N' }] }) })).status).toBe(201);
      const writes = Array.from({ length: 40 }, (_, n) =>
        fetch(`${server.base}/api/records/order_line`, { method: 'POST', headers, body: JSON.stringify({ n }) })
          .then((r) => r.status)
          .catch(() => 0),
      );
      await new Promise((r) => setTimeout(r, 15));
      const exit = server.stop();
      const statuses = await Promise.all(writes);
      expect(await exit).toBe(0);
      expect(server.output()).toContain('shutting down');
      answered = statuses.filter((s) => s === 201).length;
      // Every request either completed (201) or was never accepted; nothing else.
      expect(statuses.every((s) => s === 201 || s === 0 || s === 503)).toBe(true);
    } finally {
      await server.stop();
    }
    const engine = await createEngine(database ? database.options : { dataDir });
    try {
      const stored = await engine.records.list(systemActor, 'order_line', { count: true, limit: 1 });
      expect(stored.total).toBe(answered);
    } finally {
      await engine.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
