import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The policy every UI page is served with: scripts only from this origin (no inline script, no
 * eval: compiled rules arrive as generated modules), never framed. Styles may be inline because
 * the component kit (antd) injects its CSS-in-JS as <style> elements; styles cannot run code.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(reply: FastifyReply, path: string): void {
  reply.header('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY);
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Referrer-Policy', 'same-origin');
  // Hashed asset names change with their content; the page itself must be fetched fresh.
  reply.header('Cache-Control', /\/assets\//.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

export interface UiFolders {
  readonly runtimeUiDir?: string;
  readonly studioDir?: string;
}

/**
 * Serves the built UIs: the studio under /studio/, the runtime UI at /. The runtime UI routes in
 * the browser (/o/opportunity/…), so a page request for a path that is no file gets its
 * index.html: returns the handler the not-found handler asks first.
 */
export async function serveUis(app: FastifyInstance, folders: UiFolders): Promise<(request: FastifyRequest, reply: FastifyReply) => boolean> {
  const shells: { prefix: string; index: string }[] = [];
  if (folders.studioDir && existsSync(folders.studioDir)) {
    await app.register(fastifyStatic, { root: folders.studioDir, prefix: '/studio/', decorateReply: false, setHeaders: securityHeaders });
    const index = join(folders.studioDir, 'index.html');
    shells.push({ prefix: '/studio/', index });
  }
  if (folders.runtimeUiDir && existsSync(folders.runtimeUiDir)) {
    await app.register(fastifyStatic, { root: folders.runtimeUiDir, prefix: '/', decorateReply: false, setHeaders: securityHeaders });
    const index = join(folders.runtimeUiDir, 'index.html');
    shells.push({ prefix: '/', index });
  }
  return (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = request.url.split('?')[0] ?? '';
    // API paths and files (a dot in the last segment) keep their 404 in the error shape.
    if (path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) return false;
    if (!(request.headers.accept ?? '').includes('text/html')) return false;
    const shell = shells.find((candidate) => path.startsWith(candidate.prefix));
    // Read per request (a kilobyte): a rebuild while the server runs must not leave it naming assets that are gone.
    if (!shell || !existsSync(shell.index)) return false;
    securityHeaders(reply, path);
    void reply.status(200).type('text/html; charset=utf-8').send(readFileSync(shell.index, 'utf8'));
    return true;
  };
}
