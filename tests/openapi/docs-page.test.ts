import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server';

describe('GET /api/docs', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves an HTML page, without authentication, that loads the document from /api/openapi.json', async () => {
    for (const path of ['/api/docs', '/api/docs/']) {
      const page = await fetch(`${server.base}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('data-spec-url="/api/openapi.json"');
      expect(html).toContain('<div id="swagger-ui"');
    }
  });

  it('serves every script, stylesheet and icon the page loads from this server', async () => {
    const html = await (await fetch(`${server.base}/api/docs`)).text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/initializer.js', '/api/docs/swagger-ui.css']));
    const expectedType = (asset: string) => (asset.endsWith('.js') ? /^text\/javascript/ : asset.endsWith('.css') ? /^text\/css/ : /^image\/png/);
    for (const asset of assets) {
      // No CDN: the machine running the product may be offline.
      expect(asset.startsWith('/api/docs/'), asset).toBe(true);
      const response = await fetch(`${server.base}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toMatch(expectedType(asset));
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    const initializer = await (await fetch(`${server.base}/api/docs/initializer.js`)).text();
    expect(initializer).toContain('SwaggerUIBundle(');
    expect(initializer).toContain("getAttribute('data-spec-url')");
  });

  it('exposes only the files the page needs from the Swagger UI package', async () => {
    for (const path of ['/api/docs/index.html', '/api/docs/package.json', '/api/docs/swagger-initializer.js', '/api/docs/../openapi.json.map']) {
      const response = await fetch(`${server.base}${path}`);
      expect(response.status, path).toBe(404);
    }
  });
});
