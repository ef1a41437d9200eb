import type { AddressInfo } from 'node:net';
import { createEngine, systemActor, type Engine } from '@crm/engine';
import { createTestDatabase, type TestDatabase } from '@crm/engine/testing';
import { buildApp, type AppOptions } from '@crm/server';
import type { FastifyInstance } from 'fastify';

export interface AuthTestServer {
  readonly base: string;
  readonly engine: Engine;
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on a fresh database, listening on a free loopback port. */
export async function startAuthTestServer(options: AppOptions = {}): Promise<AuthTestServer> {
  const database = await createTestDatabase();
  const engine = await createEngine(database.options);
  const app = await buildApp(engine, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    engine,
    app,
    database,
    async close() {
      await app.close();
      await engine.close();
      await database.drop();
    },
  };
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
