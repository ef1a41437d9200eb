import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function opportunity(): Promise<string> {
  const { engine } = harness();
  const name = uniqueName('opp');
  await engine.objects.create(systemActor, {
    name,
    label: 'Opportunity',
    fields: [
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'amount', type: 'currency', label: 'Amount' },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New', color: '#3366ff' }, { value: 'won', label: 'Won', color: 'green' }] },
      { name: 'tags', type: 'multiselect', label: 'Tags', options: [{ value: 'a', label: 'A' }] },
    ],
  });
  return name;
}

describe('views', () => {
  it('stores list and kanban views whose filters run in SQL', async () => {
    const { engine } = harness();
    const name = await opportunity();
    await engine.views.create(systemActor, name, {
      name: 'my_big',
      type: 'list',
      label: { en: 'My big deals', 'zh-CN': '我的大单' },
      columns: ['title', 'amount', 'stage'],
      filter: { and: [{ '>': [{ var: 'amount' }, 100000] }, { '==': [{ var: 'owner_id' }, { var: '$user.id' }] }] },
      sort: [{ field: 'amount', direction: 'desc' }],
      page_size: 25,
    });
    await engine.views.create(systemActor, name, { name: 'funnel', type: 'kanban', group_by: 'stage', card_fields: ['title', 'amount'] });
    expect((await engine.views.list(systemActor, name)).map((v) => v.type).sort()).toEqual(['kanban', 'list']);
    const view = await engine.views.get(systemActor, name, 'my_big');
    await engine.records.create(systemActor, name, { title: 'small', amount: 5 });
    await engine.records.create(systemActor, name, { title: 'big', amount: 500000 });
    const rows = await engine.records.list(systemActor, name, { filter: view.filter, sort: view.type === 'list' ? view.sort : undefined });
    expect(rows.data.map((r) => r.title)).toEqual(['big']);
  });

  it('rejects views naming missing fields, grouping by a non-select, sorting by the unsortable, or filtering with what SQL cannot run', async () => {
    const { engine } = harness();
    const name = await opportunity();
    const cases: [unknown, string][] = [
      [{ name: 'v1', type: 'list', columns: ['title', 'ghost'] }, 'columns/1'],
      [{ name: 'v2', type: 'kanban', group_by: 'amount', card_fields: ['title'] }, 'group_by'],
      [{ name: 'v3', type: 'kanban', group_by: 'stage', card_fields: ['ghost'] }, 'card_fields/0'],
      [{ name: 'v4', type: 'list', columns: ['title'], sort: [{ field: 'tags' }] }, 'sort/0/field'],
      [{ name: 'v5', type: 'list', columns: ['title'], filter: { '==': [{ var: 'ghost' }, 1] } }, 'filter'],
      [{ name: 'v6', type: 'list', columns: ['title'], filter: { map: [{ var: 'tags' }, { var: '' }] } }, 'filter'],
      [{ name: 'v7', type: 'list', columns: [] }, 'columns'],
    ];
    for (const [view, path] of cases) {
      const error = await expectCrmError(engine.views.create(systemActor, name, view), 'metadata_invalid');
      expect(error.fields.some((f) => f.path.startsWith(path)), `${JSON.stringify(view)} -> ${JSON.stringify(error.fields)}`).toBe(true);
    }
    await engine.views.create(systemActor, name, { name: 'ok', type: 'list', columns: ['title'] });
    await expectCrmError(engine.views.create(systemActor, name, { name: 'ok', type: 'list', columns: ['title'] }), 'name_taken');
    await expectCrmError(engine.views.update(systemActor, name, 'ok', { columns: ['ghost'] }), 'metadata_invalid');
    expect(await engine.views.get(systemActor, name, 'ok')).toMatchObject({ columns: ['title'] });
  });
});
