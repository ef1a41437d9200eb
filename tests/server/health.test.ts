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

  it('serves the UI pages under the content security policy, client routes included', async () => {
    for (const path of ['/', '/o/account', '/o/opportunity/0190d8a0-0000-7000-8000-000000000000/edit', '/approvals']) {
      const page = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type'), path).toContain('text/html');
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy, path).toContain("script-src 'self'");
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(policy, path).not.toContain('unsafe-eval');
      const html = await page.text();
      expect(html, path).toContain('<div id="root">');
      // No inline script: every <script> has a src.
      expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [], path).toEqual([]);
    }
    // Files that do not exist, API paths and non-page requests keep their 404 in the error shape.
    for (const [path, accept] of [['/assets/missing.js', 'text/html'], ['/api/nothing', 'text/html'], ['/o/account', 'application/json']] as const) {
      const missing = await fetch(`${base}${path}`, { headers: { accept } });
      expect(missing.status, path).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code, path).toBe('route_not_found');
    }
    const post = await fetch(`${base}/o/account`, { method: 'POST', headers: { accept: 'text/html' } });
    expect(post.status).toBe(404);
  });

  it('answers unknown routes in the one error shape', async () => {
    const missing = await fetch(`${base}/api/nothing-here`);
    expect(missing.status).toBe(404);
  });
});
