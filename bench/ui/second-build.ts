import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { UI_CONTENT_SECURITY_POLICY } from '../../server/src/ui/serve-ui';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Another build of the runtime UI (`BENCH_UI_B=<its dist folder>`) in front of the same server:
 * its files served as serve-ui serves them (same CSP and caching), everything under /api/ passed
 * through. Comparing two builds in alternating rounds of one run is the only fair comparison on a
 * shared, noisy machine. On another port of the same host, so the server's cookies apply as they are.
 * With `page`, that document is served for every page path instead of the build's index.html.
 */
export async function secondBuild(dist: string, server: string, page?: string): Promise<{ base: string; close(): Promise<void> }> {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`BENCH_UI_B: ${dist} holds no index.html`);
  const target = new URL(server);
  const proxy = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (path.startsWith('/api/')) {
      const upstream = forward({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
      return;
    }
    const file = normalize(join(dist, path));
    const asset = file.startsWith(dist) && existsSync(file) && statSync(file).isFile();
    const served = asset ? file : join(dist, 'index.html');
    response.writeHead(200, {
      'content-type': TYPES[extname(served)] ?? 'application/octet-stream',
      'content-security-policy': UI_CONTENT_SECURITY_POLICY,
      'cache-control': /\/assets\//.test(path) && asset ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    // `page`: the document served in place of index.html (bench/ui/snapshot-floor.ts).
    response.end(page !== undefined && !asset ? page : readFileSync(served));
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  return { base: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, close: () => new Promise((done) => proxy.close(() => done())) };
}
