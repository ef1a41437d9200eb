import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installTemplate, systemActor } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServer, type TestServer } from '../support/test-server';

/**
 * Every route the server registers is in the OpenAPI document, because routes are declared once
 * (server/src/http/route-declaration.ts) and the document is built from the declarations. Only
 * what is not API is allowed to be missing: the built UIs' static files and the docs page.
 */
const NOT_API = [/^\/studio\//, /^\/\*$/, /^\/api\/docs(\/|$)/];

type Paths = Record<string, Record<string, unknown>>;
const openApiPath = (url: string) => url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/** The registered API routes the document lacks: as they are, or (record routes) for the object `object`. */
function undocumented(registered: readonly { method: string; url: string }[], paths: Paths, object: string) {
  return registered
    .filter(({ method, url }) => method !== 'HEAD' && !NOT_API.some((pattern) => pattern.test(url)))
    .filter(({ method, url }) => {
      const verb = method.toLowerCase();
      return !paths[openApiPath(url)]?.[verb] && !paths[openApiPath(url.replace('/:object', `/${object}`))]?.[verb];
    });
}

describe('OpenAPI coverage of the registered routes', () => {
  let server: TestServer;
  const registered: { method: string; url: string }[] = [];
  const uiDir = mkdtempSync(join(tmpdir(), 'crm-ui-'));

  beforeAll(async () => {
    writeFileSync(join(uiDir, 'index.html'), '<div id="root"></div>');
    const onRoute = (route: RouteOptions) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    };
    server = await startTestServer({ app: { auth: { secureCookies: false }, onRoute, runtimeUiDir: uiDir, studioDir: uiDir } });
    // An object with everything on it: sales' opportunity has an active approval process and an owner.
    await installTemplate(server.engine, systemActor, readTemplate('sales'));
  });
  afterAll(async () => {
    await stopTestServer(server);
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('describes every registered API route to the administrator (record routes once per object)', async () => {
    const response = await server.api('GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    const paths = response.body.paths as Paths;
    expect(registered.length).toBeGreaterThan(80);
    expect(undocumented(registered, paths, 'opportunity')).toEqual([]);
    // The check itself catches a route nobody declared, and allows only what is not API.
    expect(undocumented([...registered, { method: 'GET', url: '/api/undeclared' }], paths, 'opportunity')).toEqual([{ method: 'GET', url: '/api/undeclared' }]);
    expect(registered.some(({ url }) => url.startsWith('/studio/'))).toBe(true);
    expect(registered.some(({ url }) => url.startsWith('/api/docs'))).toBe(true);
  });
});
