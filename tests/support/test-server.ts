import type { AddressInfo } from 'node:net';
import { createEngine, systemActor, userActor, type Engine, type EngineOptions } from '@crm/engine';
import { createTestDatabase, type TestDatabase } from '@crm/engine/testing';
import { buildApp, type AppOptions } from '@crm/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';

// Tests read response bodies loosely; `any` stays inside the test package.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface TestServer {
  readonly base: string;
  readonly engine: Engine;
  readonly database: TestDatabase;
  readonly app: FastifyInstance;
  /** An API token of the test administrator. */
  readonly token: string;
  readonly userId: string;
  /** Calls the API over real HTTP with the token; JSON in, JSON out. */
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface TestServerOptions {
  /** An existing database (for a second server on it); a fresh one by default. */
  readonly database?: TestDatabase;
  readonly app?: AppOptions;
  /** Engine options besides the database (e.g. a small export limit). */
  readonly engine?: Omit<EngineOptions, 'databaseUrl' | 'dataDir'>;
}

/** The real app on a fresh database, listening on a free loopback port, with an administrator's API token. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = options.database ?? (await createTestDatabase());
  const engine = await createEngine({ ...options.engine, ...db.options });
  const app = await buildApp(engine, options.app ?? { auth: { secureCookies: false } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const user = await engine.users.create(systemActor, { name: 'Test admin', email: `admin-${Math.random().toString(36).slice(2)}@example.com`, roles: ['administrator'] });
  const { token } = await engine.auth.createToken(userActor(user.id), { name: 'tests' });
  return {
    base,
    engine,
    database: db,
    app,
    token,
    userId: user.id,
    async api(method, path, body, headers = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as never) : (undefined as never) };
    },
  };
}

export async function stopTestServer(server: TestServer | undefined, dropDatabase = true): Promise<void> {
  if (!server) return;
  await server.app.close();
  await server.engine.close();
  if (dropDatabase) await server.database.drop();
}

/** One server per test file (vitest beforeAll/afterAll). */
export function useTestServer(options: TestServerOptions = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterAll(async () => stopTestServer(server));
  return () => {
    if (!server) throw new Error('the test server is not ready');
    return server;
  };
}

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter}_${Math.random().toString(36).slice(2, 7)}`;
}
