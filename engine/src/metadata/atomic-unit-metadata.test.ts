import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

/** Resolves after `ms`, with `value`: what a read still waiting is told apart by. */
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('metadata changed inside an atomic unit', () => {
  /**
   * Runs `work` in a unit that then waits; `outside` runs meanwhile, outside the unit. On
   * PostgreSQL it must answer at once; PGlite's one session may make a read wait for the unit.
   */
  async function whileOpen(work: () => Promise<void>, outside: () => Promise<string[]>, fail = false) {
    const { engine } = harness();
    let opened!: () => void;
    const inside = new Promise<void>((resolve) => (opened = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const unit = engine.database.atomically(async () => {
      await work();
      opened();
      await finished;
      if (fail) throw new Error('refused late');
    });
    await inside;
    const seen = outside();
    const early = await Promise.race([seen, after(200, 'still waiting' as const)]);
    finish();
    if (fail) await expect(unit).rejects.toThrow('refused late');
    else await unit;
    return { early, seen: await seen };
  }

  it('is the unit’s own until it commits: other work keeps the committed metadata, then sees the new', async () => {
    const { engine, database } = harness();
    const name = uniqueName('unit_object');
    const names = async () => (await engine.objects.list(systemActor)).map((object) => object.name);
    await names();
    const { early, seen } = await whileOpen(
      async () => {
        await engine.objects.create(systemActor, { name, label: 'Unit object', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
        // The unit reads its own change.
        expect(await names()).toContain(name);
        expect((await engine.records.list(systemActor, name)).data).toEqual([]);
      },
      names,
    );
    // Not the unit's object while it is open (its table is not there for anyone else yet).
    if (database.kind === 'postgres') expect(early).not.toBe('still waiting');
    if (early !== 'still waiting') expect(early).not.toContain(name);
    if (database.kind === 'postgres') expect(seen).not.toContain(name);
    // Committed: everyone's.
    expect(await names()).toContain(name);
    await engine.records.create(systemActor, name, { title: 'after' });
  });

  it('goes with a unit that rolls back, for the unit and for everyone else', async () => {
    const { engine, database } = harness();
    const name = uniqueName('unit_object');
    const names = async () => (await engine.objects.list(systemActor)).map((object) => object.name);
    const revision = async () => (await engine.metadata(systemActor)).revision;
    const before = await revision();
    const { early } = await whileOpen(
      async () => {
        await engine.objects.create(systemActor, { name, label: 'Unit object', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
        expect(await names()).toContain(name);
      },
      names,
      true,
    );
    if (database.kind === 'postgres') expect(early).not.toBe('still waiting');
    if (early !== 'still waiting') expect(early).not.toContain(name);
    expect(await names()).not.toContain(name);
    // The revision the unit used is never handed out again.
    expect(await revision()).toBeGreaterThan(before + 1);
  });
});
