import { systemActor, type Engine } from '@crm/engine';
import type { TestDatabase } from '@crm/engine/testing';
import type { AppOptions } from '@crm/server';
import type { FastifyInstance } from 'fastify';
import { startTestServer, stopTestServer } from '../support/test-server';

export interface AuthTestServer {
  readonly base: string;
  readonly engine: Engine;
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on a fresh database, listening on a free loopback port. */
export async function startAuthTestServer(options: AppOptions = {}): Promise<AuthTestServer> {
  const server = await startTestServer({ app: options });
  return { base: server.base, engine: server.engine, app: server.app, database: server.database, close: () => stopTestServer(server) };
}

let counter = 0;
/** A user who can sign in. */
export async function createPasswordUser(engine: Engine, password = 'correct horse battery staple'): Promise<{ id: string; email: string; password: string }> {
  counter += 1;
  const email = `person${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await engine.users.create(systemActor, { name: `Person ${counter}`, email });
  await engine.auth.setPassword(systemActor, user.id, password);
  return { id: user.id, email, password };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The Cookie request header a browser would send back after these Set-Cookie headers. */
export function cookieHeaderFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

/** One Set-Cookie header by cookie name, with its attributes lower-cased for matching. */
export function setCookie(response: Response, name: string): { value: string; attributes: string[] } | undefined {
  const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
  if (!header) return undefined;
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { value: pair!.slice(name.length + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}
