import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, ms = 2000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    value = await probe();
  }
  return value;
}

describe('metadata revisions', () => {
  it('number every change and record who made it', async () => {
    const { engine } = harness();
    const start = (await engine.metadata(systemActor)).revision;
    const name = uniqueName('rev');
    const a = await engine.objects.create(systemActor, { name, label: 'Rev' });
    const b = await engine.fields.create(systemActor, name, { name: 'x', type: 'text', label: 'X' });
    expect([a.revision, b.revision]).toEqual([start + 1, start + 2]);
    expect((await engine.metadata(systemActor)).revision).toBe(start + 2);
    const log = await engine.database.db.selectFrom('crm_meta.revisions').selectAll().where('revision', '>', start).orderBy('revision').execute();
    expect(log.map((r) => [r.action, r.subject])).toEqual([
      ['create object', name],
      ['create field', `${name}.x`],
    ]);
  });

  it('makes a field added by one process usable in another within a second (LISTEN/NOTIFY)', async (context) => {
    const { engine, database } = harness();
    if (database.kind !== 'postgres') {
      context.skip('PGlite is one process; cross-process notification needs PostgreSQL (DATABASE_URL)');
      return;
    }
    const other = await harness().openAnother();
    const name = uniqueName('shared');
    await engine.objects.create(systemActor, { name, label: 'Shared' });
    await other.records.list(systemActor, name); // warm the other process's cache at this revision
    const added = await engine.fields.create(systemActor, name, { name: 'fresh', type: 'integer', label: 'Fresh' });
    const seen = await eventually(
      () => other.metadata(systemActor),
      (m) => m.revision >= added.revision,
      1000,
    );
    expect(seen.revision).toBeGreaterThanOrEqual(added.revision);
    const created = await other.records.create(systemActor, name, { fresh: 7 });
    expect(created.fresh).toBe(7);
  });

  it('serialises concurrent metadata changes without losing any', async () => {
    const { engine } = harness();
    const name = uniqueName('busy');
    await engine.objects.create(systemActor, { name, label: 'Busy' });
    const start = (await engine.metadata(systemActor)).revision;
    await Promise.all(Array.from({ length: 8 }, (_, i) => engine.fields.create(systemActor, name, { name: `f${i}`, type: 'text', label: `F${i}` })));
    expect((await engine.fields.list(systemActor, name)).map((f) => f.name).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `f${i}`));
    expect((await engine.metadata(systemActor)).revision).toBe(start + 8);
  });
});
