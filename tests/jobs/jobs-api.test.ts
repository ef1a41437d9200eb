import { systemActor, userActor } from '@crm/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSchemaValid, schemaValidator } from '../openapi/schema-validator';
import { startTestServer, stopTestServer, type TestServer } from '../support/test-server';
import { waitFor } from './support';

/**
 * The job routes for administrators (/api/jobs): who may use them, how bad input is refused, and
 * that what they answer is what the OpenAPI document describes.
 */
describe('job routes', () => {
  let server: TestServer;
  let repToken: string;

  beforeAll(async () => {
    server = await startTestServer({ engine: { jobs: { backoff: { baseMs: 20, maxMs: 40 }, pollIntervalMs: 25, maxAttempts: 1 } } });
    const rep = await server.engine.users.create(systemActor, { name: 'Rep', email: 'rep@example.com' });
    repToken = (await server.engine.auth.createToken(userActor(rep.id), { name: 'rep' })).token;
  });
  afterAll(async () => stopTestServer(server));

  const asRep = (method: string, path: string) => server.api(method, path, undefined, { authorization: `Bearer ${repToken}` });

  it('are for administrators only', async () => {
    const { id } = await server.engine.jobs.enqueue(server.engine.database.db, { task: 'webhook', payload: { url: 'http://127.0.0.1:9/x', body: {}, secret: 's' } });
    for (const [method, path] of [
      ['GET', '/api/jobs'],
      ['GET', `/api/jobs/${id}`],
      ['POST', `/api/jobs/${id}/retry`],
    ] as const) {
      const response = await asRep(method, path);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
    const anonymous = await fetch(`${server.base}/api/jobs`);
    expect(anonymous.status).toBe(401);
  });

  it('refuse bad input in the one error shape', async () => {
    for (const query of ['state=lost', 'limit=0', 'limit=501', 'task=Bad-Name', 'colour=red']) {
      const response = await server.api('GET', `/api/jobs?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-an-id']) {
      const get = await server.api('GET', `/api/jobs/${id}`);
      expect(get.status).toBe(404);
      expect(get.body.error.code).toBe('job_not_found');
      expect((await server.api('POST', `/api/jobs/${id}/retry`)).status).toBe(404);
    }
    const zh = await server.api('GET', '/api/jobs/00000000-0000-0000-0000-000000000000', undefined, { 'accept-language': 'zh-CN' });
    expect(zh.body.error.message).toBe('任务 00000000-0000-0000-0000-000000000000 不存在');
  });

  it('answer what the OpenAPI document describes, which only administrators get', async () => {
    const document = await (await fetch(`${server.base}/api/openapi.json`, { headers: { authorization: `Bearer ${server.token}` } })).text();
    const paths = Object.keys((JSON.parse(document) as { paths: object }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/jobs', '/api/jobs/{id}', '/api/jobs/{id}/retry']));
    const repDocument = (await (await fetch(`${server.base}/api/openapi.json`, { headers: { authorization: `Bearer ${repToken}` } })).json()) as { paths: object };
    expect(Object.keys(repDocument.paths).filter((p) => p.startsWith('/api/jobs'))).toEqual([]);

    const schemaOf = schemaValidator(document);
    // A job that fails at once (nothing listens on port 9) and is dead after its one attempt.
    const { id } = await server.engine.jobs.enqueue(server.engine.database.db, { task: 'webhook', key: 'openapi:1', payload: { url: 'http://127.0.0.1:9/x', body: { a: 1 }, secret: 's' } });
    expectSchemaValid(schemaOf, 'Job', (await server.api('GET', `/api/jobs/${id}`)).body);
    await server.engine.jobs.start();
    try {
      const dead = await waitFor(async () => {
        const response = await server.api('GET', `/api/jobs/${id}`);
        return response.body.state === 'dead' ? response.body : undefined;
      });
      expect(dead.last_error).toContain('could not deliver to http://127.0.0.1:9');
      expectSchemaValid(schemaOf, 'Job', dead);
      expectSchemaValid(schemaOf, 'JobList', (await server.api('GET', '/api/jobs?state=dead&task=webhook&limit=10')).body);
      const retried = await server.api('POST', `/api/jobs/${id}/retry`);
      expect(retried.status).toBe(200);
      expectSchemaValid(schemaOf, 'Job', retried.body);
      expect(retried.body.payload.secret).toBe('[redacted]');
    } finally {
      await server.engine.jobs.stop();
    }
  });
});
