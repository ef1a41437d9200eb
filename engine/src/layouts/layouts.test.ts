import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function objects(): Promise<{ account: string; contact: string }> {
  const { engine } = harness();
  const account = uniqueName('account');
  const contact = uniqueName('contact');
  await engine.objects.create(systemActor, {
    name: account,
    label: 'Account',
    fields: [
      { name: 'name', type: 'text', label: 'Name' },
      { name: 'kind', type: 'select', label: 'Kind', options: [{ value: 'partner', label: 'Partner' }, { value: 'customer', label: 'Customer' }] },
      { name: 'partner_level', type: 'integer', label: 'Level' },
    ],
  });
  await engine.objects.create(systemActor, {
    name: contact,
    label: 'Contact',
    fields: [
      { name: 'full_name', type: 'text', label: 'Name' },
      { name: 'account', type: 'lookup', label: 'Account', target: account },
    ],
  });
  return { account, contact };
}

describe('layouts', () => {
  it('stores form and detail layouts with sections, visibility rules and related lists', async () => {
    const { engine } = harness();
    const { account, contact } = await objects();
    const form = await engine.layouts.create(systemActor, account, {
      name: 'main',
      type: 'form',
      label: { en: 'Account', 'zh-CN': '客户' },
      sections: [
        { label: 'Basics', columns: 2, fields: [{ field: 'name', span: 2 }, { field: 'kind' }, { field: 'owner_id' }] },
        { label: 'Partner', columns: 1, fields: [{ field: 'partner_level' }], visible_when: { '==': [{ var: 'kind' }, 'partner'] } },
      ],
    });
    expect(form.revision).toBeGreaterThan(0);
    await engine.layouts.create(systemActor, account, {
      name: 'detail',
      type: 'detail',
      sections: [{ columns: 2, fields: [{ field: 'name' }] }],
      related_lists: [{ object: contact, field: 'account', columns: ['full_name', 'created_at'], sort: [{ field: 'full_name' }] }],
    });
    expect((await engine.layouts.list(systemActor, account)).map((l) => l.name).sort()).toEqual(['detail', 'main']);
    await engine.layouts.update(systemActor, account, 'main', { label: 'Renamed' });
    expect(await engine.layouts.get(systemActor, account, 'main')).toMatchObject({ label: 'Renamed', type: 'form' });
    await engine.layouts.delete(systemActor, account, 'main');
    await expectCrmError(engine.layouts.get(systemActor, account, 'main'), 'layout_not_found');
  });

  it('rejects a layout that names a field or object that does not exist, or a bad rule', async () => {
    const { engine } = harness();
    const { account, contact } = await objects();
    const cases: [unknown, string][] = [
      [{ name: 'l1', type: 'form', sections: [{ columns: 2, fields: [{ field: 'missing' }] }] }, 'sections/0/fields/0/field'],
      [{ name: 'l2', type: 'form', sections: [{ columns: 2, fields: [{ field: 'name' }, { field: 'name' }] }] }, 'sections/0/fields/1/field'],
      [{ name: 'l3', type: 'form', sections: [{ columns: 5, fields: [] }] }, 'sections/0/columns'],
      [{ name: 'l4', type: 'form', sections: [{ columns: 1, fields: [{ field: 'name', span: 3 }] }] }, 'sections/0/fields/0/span'],
      [{ name: 'l5', type: 'form', sections: [{ columns: 1, fields: [], visible_when: { '==': [{ var: 'ghost' }, 1] } }] }, 'sections/0/visible_when'],
      [{ name: 'l6', type: 'detail', sections: [{ columns: 1, fields: [] }], related_lists: [{ object: 'nothing', field: 'x', columns: ['id'] }] }, 'related_lists/0/object'],
      [{ name: 'l7', type: 'detail', sections: [{ columns: 1, fields: [] }], related_lists: [{ object: contact, field: 'full_name', columns: ['ghost'] }] }, 'related_lists/0'],
      [{ name: 'l8', type: 'wizard', sections: [] }, 'type'],
    ];
    for (const [layout, path] of cases) {
      const error = await expectCrmError(engine.layouts.create(systemActor, account, layout), 'metadata_invalid');
      expect(error.fields.some((f) => f.path.startsWith(path)), `${JSON.stringify(layout)} -> ${JSON.stringify(error.fields)}`).toBe(true);
    }
    expect(await engine.layouts.list(systemActor, account)).toEqual([]);
    await expectCrmError(engine.layouts.create(systemActor, 'no_such_object', { name: 'x', type: 'form', sections: [{ columns: 1, fields: [] }] }), 'object_not_found');
  });
});
