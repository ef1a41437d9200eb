import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../actors';
import { isCrmError } from '../../errors';
import { expectCrmError, uniqueName, useTestEngine } from '../../testing';
import { SAVED_VIEW_LIMITS } from './saved-view-types';

const harness = useTestEngine();

/** An object with a field a role hides, a reader of it with that role, and another reader. */
async function setUp() {
  const { engine } = harness();
  const name = uniqueName('deal');
  await engine.objects.create(systemActor, {
    name,
    label: 'Deal',
    fields: [
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'amount', type: 'currency', label: 'Amount' },
      { name: 'margin', type: 'decimal', label: 'Margin' },
      { name: 'notes', type: 'json', label: 'Notes' },
    ],
  });
  await engine.views.create(systemActor, name, { name: 'all_deals', type: 'list', columns: ['title'] });
  const role = uniqueName('reader');
  await engine.roles.create(systemActor, { name: role, label: 'Reader', objects: { [name]: { read: true, fields: { margin: 'hidden' } } } });
  const rep = userActor((await engine.users.create(systemActor, { name: uniqueName('rep'), roles: [role] })).id);
  const other = userActor((await engine.users.create(systemActor, { name: uniqueName('other'), roles: [role] })).id);
  const outsider = userActor((await engine.users.create(systemActor, { name: uniqueName('outsider') })).id);
  return { engine, name, role, rep, other, outsider };
}

const definition = { view: 'all_deals', columns: ['title', 'amount'], sort: '-amount,title', filter: { and: [{ '>': [{ var: 'amount' }, 100] }, { '==': [{ var: 'owner_id' }, { var: '$user.id' }] }] }, q: 'acme' };

describe('personal saved views', () => {
  it('keeps each user their own views, by name, of objects they may read', async () => {
    const { engine, name, rep, other } = await setUp();
    const saved = await engine.savedViews.create(rep, { object: name, name: ' Big deals ', definition });
    expect(saved).toMatchObject({ object: name, name: 'Big deals', definition, dropped: [] });
    expect((await engine.savedViews.list(rep, name)).map((v) => v.name)).toEqual(['Big deals']);
    expect(await engine.savedViews.list(other, name)).toEqual([]);
    await expectCrmError(engine.savedViews.get(other, saved.id), 'saved_view_not_found');
    await expectCrmError(engine.savedViews.update(other, saved.id, { name: 'mine now' }), 'saved_view_not_found');
    await expectCrmError(engine.savedViews.delete(other, saved.id), 'saved_view_not_found');
    // The same name is another user's to take, not the same user's.
    await engine.savedViews.create(other, { object: name, name: 'Big deals', definition });
    await expectCrmError(engine.savedViews.create(rep, { object: name, name: 'Big deals', definition }), 'name_taken');
    const second = await engine.savedViews.create(rep, { object: name, name: 'Small', definition: { columns: ['title'] } });
    await expectCrmError(engine.savedViews.update(rep, second.id, { name: 'Big deals' }), 'name_taken');
    const renamed = await engine.savedViews.update(rep, second.id, { name: 'Tiny', definition: { columns: ['amount'], sort: 'title' } });
    expect(renamed).toMatchObject({ name: 'Tiny', definition: { columns: ['amount'], sort: 'title' } });
    expect(await engine.savedViews.delete(rep, second.id)).toEqual({ id: second.id });
    await expectCrmError(engine.savedViews.get(rep, second.id), 'saved_view_not_found');
    await expectCrmError(engine.savedViews.get(rep, 'not-a-uuid'), 'saved_view_not_found');
  });

  it('refuses definitions naming what the user may not read, filters the records API would refuse, and objects they may not read', async () => {
    const { engine, name, rep, outsider } = await setUp();
    const cases: [unknown, string][] = [
      [{ columns: ['title', 'margin'] }, 'validation_failed'],
      [{ columns: ['ghost'] }, 'validation_failed'],
      [{ columns: [] }, 'validation_failed'],
      [{ columns: ['title'], extra: 1 }, 'validation_failed'],
      [{ columns: ['title'], view: 'nope' }, 'validation_failed'],
      [{ columns: ['title'], sort: 'margin' }, 'sort_invalid'],
      [{ columns: ['title'], filter: { '>': [{ var: 'margin' }, 1] } }, 'rule_invalid'],
      [{ columns: ['title'], filter: { frobnicate: [1] } }, 'rule_invalid'],
      [{ columns: ['title'], filter: { substr: [{ var: 'title' }, 1] } }, 'filter_not_translatable'],
    ];
    for (const [bad, code] of cases) await expectCrmError(engine.savedViews.create(rep, { object: name, name: 'x', definition: bad }), code as 'validation_failed');
    const error = await expectCrmError(engine.savedViews.create(rep, { object: name, name: 'x', definition: { columns: ['title', 'margin'] } }), 'validation_failed');
    expect(error.fields.map((f) => f.path)).toEqual(['definition/columns/1']);
    await expectCrmError(engine.savedViews.create(rep, { object: name, name: '', definition: { columns: ['title'] } }), 'validation_failed');
    await expectCrmError(engine.savedViews.create(rep, { object: name, name: 'nul\u0000', definition: { columns: ['title'] } }), 'validation_failed');
    const deep = { columns: ['title'], filter_builder: { at: '2026-01-01T00:00:00Z', tree: { children: Array.from({ length: 6000 }, () => 1) } } };
    await expectCrmError(engine.savedViews.create(rep, { object: name, name: 'big', definition: deep }), 'validation_failed');
    await expectCrmError(engine.savedViews.create(outsider, { object: name, name: 'x', definition: { columns: ['title'] } }), 'forbidden');
    await expectCrmError(engine.savedViews.list(outsider, name), 'forbidden');
    await expectCrmError(engine.savedViews.create(rep, { object: 'no_such_object', name: 'x', definition: { columns: ['title'] } }), 'object_not_found');
    expect(await engine.savedViews.list(rep, name)).toEqual([]);
  });

  it('follows renames, and leaves out (and names) what is deleted or hidden since', async () => {
    const { engine, name, role, rep } = await setUp();
    const builder = { at: '2026-01-31T10:00:00.000Z', tree: { type: 'group', join: 'and', children: [{ type: 'condition', field: 'amount', operator: 'gt', value: 1 }] } };
    const saved = await engine.savedViews.create(systemActor, { object: name, name: 'Margins', definition: { columns: ['title', 'margin'], sort: 'margin', filter: { '>': [{ var: 'margin' }, 1] } } });
    const mine = await engine.savedViews.create(rep, { object: name, name: 'Amounts', definition: { columns: ['title', 'amount'], sort: '-amount', filter: { '>': [{ var: 'amount' }, 1] }, filter_builder: builder } });
    await engine.fields.update(systemActor, name, 'amount', { name: 'value' });
    // The builder's form is the UI's, kept as given: the UI sees it no longer makes the filter.
    expect((await engine.savedViews.get(rep, mine.id)).definition).toEqual({ columns: ['title', 'value'], sort: '-value', filter: { '>': [{ var: 'value' }, 1] }, filter_builder: builder });
    // Hidden since: the administrator's view read by nobody else; the rep's own view after a role change.
    await engine.roles.update(systemActor, role, { objects: { [name]: { read: true, fields: { margin: 'hidden', value: 'hidden' } } } });
    const hidden = await engine.savedViews.get(rep, mine.id);
    expect(hidden).toMatchObject({ definition: { columns: ['title'] }, dropped: ['columns', 'sort', 'filter'] });
    expect(hidden.definition).not.toHaveProperty('filter');
    expect(hidden.definition).not.toHaveProperty('filter_builder');
    await engine.fields.delete(systemActor, name, 'margin');
    expect(await engine.savedViews.get(systemActor, saved.id)).toMatchObject({ definition: { columns: ['title'] }, dropped: ['columns', 'sort', 'filter'] });
    // A view of an object the user may no longer read is not served, but may still be deleted.
    await engine.roles.update(systemActor, role, { objects: {} });
    await expectCrmError(engine.savedViews.get(rep, mine.id), 'forbidden');
    expect(await engine.savedViews.list(rep)).toEqual([]);
    await engine.savedViews.delete(rep, mine.id);
  });

  it('keeps the limit per object exactly under concurrent saves', async () => {
    const { engine, name, rep, other } = await setUp();
    const limit = SAVED_VIEW_LIMITS.perObject;
    const near = limit - 3;
    for (let i = 0; i < near; i++) await engine.savedViews.create(rep, { object: name, name: `v${i}`, definition: { columns: ['title'] } });
    // Twelve saves at once for three places: each counts, then inserts, in its own transaction.
    const attempts = 12;
    const results = await Promise.allSettled(
      Array.from({ length: attempts }, (_, i) => engine.savedViews.create(rep, { object: name, name: `race ${i}`, definition: { columns: ['title'] } })),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.every((r) => isCrmError(r.reason, 'validation_failed') && r.reason.fields[0]?.code === 'too_large'), String(refused.find((r) => !isCrmError(r.reason, 'validation_failed'))?.reason)).toBe(true);
    expect(results.length - refused.length).toBe(limit - near);
    expect(await engine.savedViews.list(rep, name)).toHaveLength(limit);
    // The limit is the user's own: another user still saves.
    await engine.savedViews.create(other, { object: name, name: 'mine', definition: { columns: ['title'] } });
  });
});
