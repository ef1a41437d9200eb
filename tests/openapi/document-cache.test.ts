import { createEngine, systemActor, type CompiledMetadata } from '@crm/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentCacheFor, OpenApiDocumentCache } from '../../server/src/openapi/document-cache';
import type { OpenApiDocument } from '../../server/src/openapi/types';
import { ANONYMOUS, FULL_ACCESS, type Viewer } from '../../server/src/openapi/viewer';
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
    // The document depends on who asks: personal copies stay out of shared caches.
    expect(first.response.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.response.headers.get('vary')).toBe('Authorization, Cookie');
    const revalidated = await server.fetchDocument({ headers: { 'if-none-match': etag! } });
    expect(revalidated.response.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(documentCacheFor(server.engine).builds).toBe(builds);
  });

  it('gives an anonymous caller its own document, ETag and cache policy', async () => {
    const admin = await server.fetchDocument();
    const anonymous = await server.fetchDocument({ token: null });
    expect(anonymous.response.status).toBe(200);
    expect(anonymous.response.headers.get('cache-control')).toBe('no-cache');
    expect(anonymous.response.headers.get('vary')).toBe('Authorization, Cookie');
    expect(anonymous.response.headers.get('etag')).not.toBe(admin.response.headers.get('etag'));
    // The administrator's ETag does not revalidate the anonymous document.
    const revalidated = await server.fetchDocument({ token: null, headers: { 'if-none-match': admin.response.headers.get('etag')! } });
    expect(revalidated.response.status).toBe(200);
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
    const revalidated = await server.fetchDocument({ headers: { 'if-none-match': before.response.headers.get('etag')! } });
    expect(revalidated.response.status).toBe(200);
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
  const fakeBuild = (metadata: CompiledMetadata, viewer: Viewer) => ({ info: { 'x-crm-revision': metadata.revision, viewer: viewer.signature } }) as unknown as OpenApiDocument;
  const viewerWith = (signature: string) => ({ ...FULL_ACCESS, signature });

  it('builds once per revision and viewer signature, and hands out the same text and ETag', () => {
    const cache = new OpenApiDocumentCache(fakeBuild);
    const a = cache.publish(metadataAt(3), FULL_ACCESS);
    const b = cache.publish(metadataAt(3), FULL_ACCESS);
    expect(cache.builds).toBe(1);
    expect(b).toBe(a);
    const anonymous = cache.publish(metadataAt(3), ANONYMOUS);
    expect(cache.builds).toBe(2);
    expect(anonymous.etag).not.toBe(a.etag);
    // Another viewer object with the same signature is the same access: no build.
    expect(cache.publish(metadataAt(3), viewerWith(FULL_ACCESS.signature))).toBe(a);
    const next = cache.publish(metadataAt(4), FULL_ACCESS);
    expect(cache.builds).toBe(3);
    expect(next.revision).toBe(4);
    expect(next.etag).not.toBe(a.etag);
    expect(cache.publish(metadataAt(4), FULL_ACCESS)).toBe(next);
  });

  it('forgets older revisions as soon as a newer one is published, and keeps no document of an older one', () => {
    const cache = new OpenApiDocumentCache(fakeBuild);
    cache.publish(metadataAt(3), FULL_ACCESS);
    cache.publish(metadataAt(3), ANONYMOUS);
    cache.publish(metadataAt(4), FULL_ACCESS);
    expect(cache.size).toBe(1);
    // A slow request that still holds revision 3 gets its document, built but not kept.
    const stale = cache.publish(metadataAt(3), ANONYMOUS);
    expect(stale.revision).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('is bounded: the least recently used document goes first', () => {
    const cache = new OpenApiDocumentCache(fakeBuild, 3);
    const metadata = metadataAt(1);
    for (const signature of ['a', 'b', 'c']) cache.publish(metadata, viewerWith(signature));
    cache.publish(metadata, viewerWith('a')); // used again: now the most recent
    cache.publish(metadata, viewerWith('d')); // evicts b
    expect(cache.size).toBe(3);
    const builds = cache.builds;
    cache.publish(metadata, viewerWith('a'));
    cache.publish(metadata, viewerWith('c'));
    expect(cache.builds).toBe(builds);
    cache.publish(metadata, viewerWith('b'));
    expect(cache.builds).toBe(builds + 1);
  });
});
