import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '@crm/engine';
import { createTestDatabase, type TestDatabase } from '@crm/engine/testing';
import { buildApp } from '@crm/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('server shell over real HTTP', () => {
  let database: TestDatabase;
  let engine: Engine;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    engine = await createEngine(database.options);
    app = await buildApp(engine, { runtimeUiDir: resolve(root, 'runtime-ui', 'dist'), studioDir: resolve(root, 'studio', 'dist') });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
    await database?.drop();
  });

  it('answers health and readiness', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: database.kind, revision: 0 });
  });

  it('serves the built runtime UI and studio', async () => {
    const ui = await fetch(`${base}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<div id="root">');
    const studio = await fetch(`${base}/studio/`);
    expect(studio.status).toBe(200);
    expect(await studio.text()).toContain('CRM Studio');
  });

  it('answers unknown routes in the one error shape', async () => {
    const missing = await fetch(`${base}/api/nothing-here`);
    expect(missing.status).toBe(404);
  });
});
