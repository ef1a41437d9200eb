import type { AddressInfo } from 'node:net';
import { createEngine, systemActor, userActor, type Engine } from '@crm/engine';
import { createTestDatabase, type TestDatabase } from '@crm/engine/testing';
import { buildApp } from '@crm/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('request limits over real HTTP', () => {
  let database: TestDatabase;
  let engine: Engine;
  let app: FastifyInstance;
  let base: string;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    engine = await createEngine(database.options);
    app = await buildApp(engine, { bodyLimit: 2048, auth: { secureCookies: false } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const user = await engine.users.create(systemActor, { name: 'Limits' });
    token = (await engine.auth.createToken(userActor(user.id), { name: 't' })).token;
    await engine.objects.create(systemActor, { name: 'note', label: 'Note', fields: [{ name: 'body', type: 'textarea', label: 'Body' }] });
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
    await database?.drop();
  });

  it('refuses a body over the limit with 413 in the one error shape, writing nothing', async () => {
    const response = await fetch(`${base}/api/records/note`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'x'.repeat(5000) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await engine.records.list(systemActor, 'note', { count: true })).total).toBe(0);
  });
});
