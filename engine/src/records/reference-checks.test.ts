import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor, userActor, type Actor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';
import { checkReferencesVisible } from './guards';

const harness = useTestEngine();
const MISSING = '00000000-0000-4000-8000-00000000abcd';

/**
 * The references of a write are checked by one statement (guards.ts): every bad one is still
 * reported under its own field, a deleted or invisible target exactly like a missing one.
 */
describe('reference checks of a write', () => {
  async function setUp() {
    const { engine } = harness();
    const account = uniqueName('account');
    const task = uniqueName('task');
    await engine.objects.create(systemActor, { name: account, label: 'Account', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
    await engine.objects.create(systemActor, {
      name: task,
      label: 'Task',
      fields: [
        { name: 'subject', type: 'text', label: 'Subject' },
        { name: 'first', type: 'lookup', label: 'First', target: account },
        { name: 'second', type: 'lookup', label: 'Second', target: account },
      ],
    });
    const roleName = uniqueName('rep');
    await engine.roles.create(systemActor, {
      name: roleName,
      label: 'Rep',
      objects: { [account]: { read: true, read_scope: 'own', create: true, delete: true, edit: true, edit_scope: 'own' }, [task]: { read: true, create: true, edit: true, read_scope: 'own', edit_scope: 'own' } },
    });
    const rep = userActor((await engine.users.create(systemActor, { name: 'Rep', roles: [roleName] })).id);
    const other = await engine.users.create(systemActor, { name: 'Other' });
    const mine = await engine.records.create(rep, account, { name: 'mine' });
    const theirs = await engine.records.create(systemActor, account, { name: 'theirs', owner_id: other.id });
    const count = async (as: Actor) => (await engine.records.list(as, task)).data.length;
    return { engine, account, task, rep, mine, theirs, count };
  }

  it('reports two bad references of one write as two field issues, and writes nothing', async () => {
    const { engine, task, rep, theirs, count } = await setUp();
    const error = await expectCrmError(engine.records.create(rep, task, { subject: 'x', first: theirs.id as string, second: MISSING }), 'validation_failed');
    expect(error.fields.map((f) => [f.path, f.code])).toEqual([
      ['first', 'reference_not_found'],
      ['second', 'reference_not_found'],
    ]);
    expect(await count(systemActor)).toBe(0);
  });

  it('refuses a deleted target like a missing one, on create and update', async () => {
    const { engine, account, task, rep, mine } = await setUp();
    const gone = await engine.records.create(rep, account, { name: 'gone' });
    await engine.records.delete(rep, account, gone.id as string);
    const created = await expectCrmError(engine.records.create(rep, task, { subject: 'x', first: gone.id as string }), 'validation_failed');
    expect(created.fields.map((f) => [f.path, f.code])).toEqual([['first', 'reference_not_found']]);
    const record = await engine.records.create(rep, task, { subject: 'ok', first: mine.id as string });
    const updated = await expectCrmError(engine.records.update(rep, task, record.id as string, { second: gone.id as string, first: gone.id as string }), 'validation_failed');
    expect(updated.fields.map((f) => [f.path, f.code])).toEqual([
      ['first', 'reference_not_found'],
      ['second', 'reference_not_found'],
    ]);
    expect((await engine.records.get(rep, task, record.id as string)).first).toBe(mine.id);
  });

  it('names only the bad reference of a mix, and accepts a write whose references are all visible', async () => {
    const { engine, task, rep, mine, theirs } = await setUp();
    const mixed = await expectCrmError(engine.records.create(rep, task, { subject: 'x', first: mine.id as string, second: theirs.id as string }), 'validation_failed');
    expect(mixed.fields.map((f) => [f.path, f.code])).toEqual([['second', 'reference_not_found']]);
    const good = await engine.records.create(rep, task, { subject: 'y', first: mine.id as string, second: mine.id as string });
    expect([good.first, good.second]).toEqual([mine.id, mine.id]);
    // An unrestricted reader (the administrator) may point at any record.
    const admin = await engine.records.create(systemActor, task, { subject: 'z', first: theirs.id as string, second: mine.id as string });
    expect(admin.first).toBe(theirs.id);
  });

  it('checks every row of a bulk write, each row with its own issues', async () => {
    const { engine, task, rep, mine, theirs } = await setUp();
    const result = await engine.records.bulk(rep, task, {
      operation: 'create',
      records: [
        { subject: 'a', first: mine.id, second: MISSING },
        { subject: 'b', first: theirs.id, second: theirs.id },
        { subject: 'c', first: mine.id },
      ],
    });
    const issues = result.results.map((r) => r.error?.fields.map((f) => [f.path, f.code]) ?? []);
    expect(issues).toEqual([[['second', 'reference_not_found']], [['first', 'reference_not_found'], ['second', 'reference_not_found']], []]);
  });

  it('asks the database once for all the references of a write', async () => {
    const { engine, task, rep, mine, theirs } = await setUp();
    let statements = 0;
    const counting: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: async (args) => (statements++, args.result) };
    const db = engine.database.db.withPlugin(counting);
    const { actor, object } = await engine.records.accessFor(rep, task);
    await expect(checkReferencesVisible(db, actor, object, { first: mine.id, second: theirs.id })).rejects.toMatchObject({ fields: [{ path: 'second', code: 'reference_not_found' }] });
    expect(statements).toBe(1);
    await checkReferencesVisible(db, actor, object, { first: mine.id, second: mine.id });
    expect(statements).toBe(2);
    // Nothing to check, nothing asked.
    await checkReferencesVisible(db, actor, object, { subject: 'no references' });
    expect(statements).toBe(2);
  });
});
