import { runInNewContext } from 'node:vm';
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

  it('asks for the document with the API token Swagger UI keeps, again when it changes, and without it once it is refused', async () => {
    // The initializer runs against a stand-in for the browser and Swagger UI: what it configures is what is checked.
    interface Request { loadSpec?: boolean; headers: Record<string, string> }
    interface Config {
      url: string;
      requestInterceptor(request: Request): Request;
      responseInterceptor(response: { url: string; status: number }): unknown;
      plugins: (() => { statePlugins: { auth: { wrapActions: Record<string, (original: (...args: unknown[]) => unknown, system: unknown) => (...args: unknown[]) => unknown> } } })[];
    }
    const script = await (await fetch(`${server.base}/api/docs/initializer.js`)).text();
    const storage = new Map<string, string>();
    const downloads: string[] = [];
    const ui = { specActions: { download: (url: string) => downloads.push(url) } };
    let config: Config | undefined;
    let onLoad: (() => void) | undefined;
    const window: Record<string, unknown> = {
      addEventListener: (_event: string, listener: () => void) => (onLoad = listener),
      localStorage: { getItem: (key: string) => storage.get(key) ?? null, removeItem: (key: string) => storage.delete(key) },
    };
    runInNewContext(script, {
      window,
      document: { getElementById: () => ({ getAttribute: () => '/api/openapi.json' }) },
      SwaggerUIBundle: Object.assign((options: Config) => ((config = options), ui), { presets: { apis: {} } }),
      setTimeout: (run: () => void) => run(),
    });
    onLoad!();
    expect(config!.url).toBe('/api/openapi.json');
    expect(window.ui).toBe(ui);

    expect(config!.requestInterceptor({ loadSpec: true, headers: {} }).headers.Authorization).toBeUndefined();
    storage.set('authorized', JSON.stringify({ apiToken: { name: 'apiToken', value: 'crm_abc' } }));
    expect(config!.requestInterceptor({ loadSpec: true, headers: {} }).headers.Authorization).toBe('Bearer crm_abc');
    // Try-it-out requests carry what Swagger UI itself adds, nothing from here.
    expect(config!.requestInterceptor({ headers: {} }).headers.Authorization).toBeUndefined();

    const { wrapActions } = config!.plugins[0]!().statePlugins.auth;
    let authorized = 0;
    wrapActions.authorize!(() => (authorized += 1), ui)({ apiToken: {} });
    expect(authorized).toBe(1);
    expect(downloads).toEqual(['/api/openapi.json']);
    wrapActions.logout!(() => undefined, ui)(['apiToken']);
    expect(downloads).toHaveLength(2);

    config!.responseInterceptor({ url: `${server.base}/api/records/x`, status: 401 });
    expect(storage.has('authorized')).toBe(true);
    config!.responseInterceptor({ url: `${server.base}/api/openapi.json`, status: 401 });
    expect(storage.has('authorized')).toBe(false);
    expect(downloads).toHaveLength(3);
  });

  it('exposes only the files the page needs from the Swagger UI package', async () => {
    for (const path of ['/api/docs/index.html', '/api/docs/package.json', '/api/docs/swagger-initializer.js', '/api/docs/../openapi.json.map']) {
      const response = await fetch(`${server.base}${path}`);
      expect(response.status, path).toBe(404);
    }
  });
});
