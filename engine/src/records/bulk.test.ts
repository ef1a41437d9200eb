import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function contacts(): Promise<string> {
  const { engine } = harness();
  const name = uniqueName('contact');
  await engine.objects.create(systemActor, {
    name,
    label: 'Contact',
    fields: [
      { name: 'email', type: 'email', label: 'Email', unique: true, required: true },
      { name: 'full_name', type: 'text', label: 'Name' },
      { name: 'score', type: 'integer', label: 'Score', min: 0 },
    ],
  });
  return name;
}

describe('bulk writes', () => {
  it('creates rows and reports bad rows individually without losing the good ones', async () => {
    const { engine } = harness();
    const name = await contacts();
    const result = await engine.records.bulk(systemActor, name, {
      operation: 'create',
      records: [
        { email: 'a@example.com', full_name: 'A' },
        { email: 'not-an-email' },
        { email: 'b@example.com', score: -1 },
        { email: 'a@example.com', full_name: 'duplicate' },
        { email: 'c@example.com', nonsense: true },
        { email: 'd@example.com', full_name: 'D' },
      ],
    });
    expect(result.committed).toBe(true);
    expect(result.results.map((r) => r.status)).toEqual(['created', 'failed', 'failed', 'failed', 'failed', 'created']);
    expect(result.results.map((r) => r.error?.code ?? null)).toEqual([null, 'validation_failed', 'validation_failed', 'unique_violation', 'validation_failed', null]);
    expect(result.results[2]!.error!.fields).toEqual([{ path: 'score', code: 'minimum', params: { limit: 0 }, field: 'score', label: 'Score' }]);
    expect(result.summary).toEqual({ created: 2, updated: 0, failed: 4 });
    const stored = await engine.records.list(systemActor, name, { sort: 'email' });
    expect(stored.data.map((r) => r.email)).toEqual(['a@example.com', 'd@example.com']);
  });

  it('writes nothing when all_or_nothing meets a bad row', async () => {
    const { engine } = harness();
    const name = await contacts();
    const result = await engine.records.bulk(systemActor, name, {
      operation: 'create',
      all_or_nothing: true,
      records: [{ email: 'x@example.com' }, { email: 'broken' }, { email: 'y@example.com' }],
    });
    expect(result.committed).toBe(false);
    expect(result.results.map((r) => r.status)).toEqual(['rolled_back', 'failed', 'rolled_back']);
    expect(result.summary).toEqual({ created: 0, updated: 0, failed: 1 });
    expect((await engine.records.list(systemActor, name)).data).toHaveLength(0);
  });

  it('updates by id with optional versions, and upserts by a unique field', async () => {
    const { engine } = harness();
    const name = await contacts();
    const a = await engine.records.create(systemActor, name, { email: 'a@example.com', score: 1 });
    const b = await engine.records.create(systemActor, name, { email: 'b@example.com', score: 1 });
    const updated = await engine.records.bulk(systemActor, name, {
      operation: 'update',
      records: [
        { id: a.id, version: 1, score: 5 },
        { id: b.id, version: 7, score: 5 },
        { score: 3 },
        { id: '00000000-0000-4000-8000-000000000000', score: 1 },
      ],
    });
    expect(updated.results.map((r) => [r.status, r.error?.code ?? null])).toEqual([
      ['updated', null],
      ['failed', 'stale_version'],
      ['failed', 'validation_failed'],
      ['failed', 'record_not_found'],
    ]);
    const upserted = await engine.records.bulk(systemActor, name, {
      operation: 'upsert',
      upsert_field: 'email',
      records: [
        { email: '  a@example.com ', full_name: 'Alice' },
        { email: 'new@example.com', full_name: 'New' },
        { full_name: 'no key' },
      ],
    });
    expect(upserted.results.map((r) => r.status)).toEqual(['updated', 'created', 'failed']);
    expect(upserted.results[0]!.id).toBe(a.id);
    expect(await engine.records.get(systemActor, name, a.id as string)).toMatchObject({ full_name: 'Alice', score: 5, version: 3 });
    expect((await engine.records.list(systemActor, name, { count: true })).total).toBe(3);
  });

  it('upserts the same new key from concurrent requests into one record', async () => {
    const { engine } = harness();
    const name = await contacts();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        engine.records.bulk(systemActor, name, { operation: 'upsert', upsert_field: 'email', records: [{ email: 'race@example.com', score: i }] }),
      ),
    );
    expect(results.flatMap((r) => r.results.map((x) => x.status)).sort()).toEqual(['created', 'updated', 'updated', 'updated', 'updated', 'updated']);
    expect((await engine.records.list(systemActor, name, { count: true })).total).toBe(1);
  });

  it('refuses malformed requests as a whole', async () => {
    const { engine } = harness();
    const name = await contacts();
    await expectCrmError(engine.records.bulk(systemActor, name, { operation: 'delete', records: [{}] }), 'validation_failed');
    await expectCrmError(engine.records.bulk(systemActor, name, { operation: 'create', records: [] }), 'validation_failed');
    await expectCrmError(engine.records.bulk(systemActor, name, { operation: 'create', records: Array.from({ length: 1001 }, () => ({})) }), 'validation_failed');
    const upsert = await expectCrmError(engine.records.bulk(systemActor, name, { operation: 'upsert', upsert_field: 'full_name', records: [{}] }), 'validation_failed');
    expect(upsert.fields[0]!.path).toBe('upsert_field');
  });
});
