import { createEngine, systemActor, type CompiledMetadata } from '@crm/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentCacheFor, OpenApiDocumentCache } from '../../server/src/openapi/document-cache';
import type { OpenApiDocument } from '../../server/src/openapi/types';
import { startTestServer, type TestServer } from './test-server';

describe('the OpenAPI document follows the metadata revision', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await server.installSales();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the cached document while the metadata is unchanged, and revalidates with its ETag', async () => {
    const first = await server.fetchDocument();
    const builds = documentCacheFor(server.engine).builds;
    const second = await server.fetchDocument();
    expect(documentCacheFor(server.engine).builds).toBe(builds);
    expect(second.text).toBe(first.text);
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(second.response.headers.get('etag')).toBe(etag);
    expect(first.response.headers.get('cache-control')).toBe('no-cache');
    const revalidated = await fetch(`${server.base}/api/openapi.json`, { headers: { 'if-none-match': etag! } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(documentCacheFor(server.engine).builds).toBe(builds);
  });

  it('exposes the revision and is rebuilt on the first request after a metadata change', async () => {
    const before = await server.fetchDocument();
    const revision = (await server.engine.metadata(systemActor)).revision;
    expect(before.document.info['x-crm-revision']).toBe(revision);
    expect(before.document.info.version).toBe(`revision-${revision}`);
    expect(before.response.headers.get('x-crm-revision')).toBe(String(revision));
    expect(before.document.components.schemas.opportunity!.properties!.next_step).toBeUndefined();
    const builds = documentCacheFor(server.engine).builds;

    await server.engine.fields.create(systemActor, 'opportunity', { name: 'next_step', type: 'text', label: { en: 'Next step', 'zh-CN': '下一步' }, required: true });

    const after = await server.fetchDocument();
    expect(after.document.info['x-crm-revision']).toBe(revision + 1);
    expect(after.response.headers.get('x-crm-revision')).toBe(String(revision + 1));
    expect(after.response.headers.get('etag')).not.toBe(before.response.headers.get('etag'));
    const { schemas } = after.document.components;
    expect(schemas.opportunity!.properties!.next_step).toMatchObject({ type: ['string', 'null'], title: 'Next step', 'x-crm-label': { 'zh-CN': '下一步' } });
    expect(schemas.opportunity_create!.required).toContain('next_step');
    expect(documentCacheFor(server.engine).builds).toBe(builds + 1);
    // The old ETag no longer matches: a client revalidating gets the new document.
    const revalidated = await fetch(`${server.base}/api/openapi.json`, { headers: { 'if-none-match': before.response.headers.get('etag')! } });
    expect(revalidated.status).toBe(200);
    expect(documentCacheFor(server.engine).builds).toBe(builds + 1);
  });

  // A second process needs PostgreSQL (PGlite is one connection in one process).
  it.skipIf(!process.env.DATABASE_URL)('shows an object another server process created', async () => {
    const other = await createEngine(server.database.options);
    try {
      await other.objects.create(systemActor, { name: 'visit', label: 'Visit', fields: [{ name: 'place', type: 'text', label: 'Place' }] });
      // The change reaches this process through NOTIFY; the next request after that sees it.
      await expect
        .poll(async () => Object.keys((await server.fetchDocument()).document.paths), { timeout: 5000 })
        .toContain('/api/records/visit');
    } finally {
      await other.close();
    }
  });
});

describe('OpenApiDocumentCache', () => {
  const metadataAt = (revision: number) => ({ revision, objects: () => [] }) as unknown as CompiledMetadata;
  const fakeDocument = (metadata: CompiledMetadata) => ({ info: { 'x-crm-revision': metadata.revision } }) as unknown as OpenApiDocument;

  it('builds once per revision and hands out the same frozen document', async () => {
    let metadata = metadataAt(3);
    const cache = new OpenApiDocumentCache(async () => metadata, fakeDocument);
    const [a, b] = await Promise.all([cache.current(), cache.current()]);
    const c = await cache.current();
    expect(cache.builds).toBe(1);
    expect(b).toBe(a);
    expect(c.document).toBe(a.document);
    expect(Object.isFrozen(a.document.info)).toBe(true);
    metadata = metadataAt(4);
    const d = await cache.current();
    expect(cache.builds).toBe(2);
    expect(d.revision).toBe(4);
    expect(d.etag).not.toBe(a.etag);
    expect(await cache.current()).toBe(d);
  });
});
