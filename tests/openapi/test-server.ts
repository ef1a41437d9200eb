import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTemplate, systemActor, type Engine } from '@crm/engine';
import type { TestDatabase } from '@crm/engine/testing';
import { readTemplate } from '@crm/templates';
import type { FastifyInstance } from 'fastify';
import { startTestServer as startServer, stopTestServer, type TestServer as SupportServer } from '../support/test-server';

/** A server over real HTTP on a fresh database, for the OpenAPI tests (one per test file). */
export interface TestServer {
  readonly database: TestDatabase;
  readonly engine: Engine;
  readonly app: FastifyInstance;
  readonly base: string;
  /** An API token of the test administrator. */
  readonly token: string;
  /** Calls the API over real HTTP as the administrator (pass an authorization header to be someone else). */
  readonly api: SupportServer['api'];
  installSales(): Promise<void>;
  /**
   * GET /api/openapi.json, parsed, with the response: as the administrator (who sees everything)
   * unless `token` names someone else's token, or is null for an anonymous request.
   */
  fetchDocument(options?: { readonly token?: string | null; readonly headers?: Record<string, string> }): Promise<FetchedDocument>;
  close(): Promise<void>;
}

export interface FetchedDocument {
  readonly response: Response;
  readonly text: string;
  readonly document: OpenApiJson;
}

/** The parts of the served document the tests read. */
export interface OpenApiJson {
  readonly openapi: string;
  readonly info: { readonly version: string; readonly description: string; readonly 'x-crm-revision': number; readonly 'x-crm-viewer': string };
  readonly tags: readonly { readonly name: string }[];
  readonly paths: Record<string, Record<string, Operation | unknown>>;
  readonly components: {
    readonly schemas: Record<string, Schema>;
    readonly responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
    readonly securitySchemes: Record<string, Schema>;
  };
}
export interface Operation {
  readonly operationId: string;
  readonly security: readonly Record<string, string[]>[];
  readonly parameters?: readonly Schema[];
  readonly requestBody?: { content: Record<string, { schema: Schema }> };
  readonly responses: Record<string, Schema>;
}
export type Schema = Record<string, unknown> & {
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly items?: Schema;
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startTestServer(): Promise<TestServer> {
  // With the built UIs as in production, so the docs routes are checked beside their catch-all static route.
  const server = await startServer({ app: { runtimeUiDir: resolve(root, 'runtime-ui', 'dist'), studioDir: resolve(root, 'studio', 'dist') } });
  const { database, engine, app, base, token } = server;
  return {
    database,
    engine,
    app,
    base,
    token,
    api: server.api,
    async installSales() {
      await installTemplate(engine, systemActor, readTemplate('sales'));
    },
    async fetchDocument({ token: as = token, headers = {} } = {}) {
      const response = await fetch(`${base}/api/openapi.json`, { headers: { ...(as === null ? {} : { authorization: `Bearer ${as}` }), ...headers } });
      const text = await response.text();
      return { response, text, document: text ? (JSON.parse(text) as OpenApiJson) : (undefined as unknown as OpenApiJson) };
    },
    close: () => stopTestServer(server),
  };
}
