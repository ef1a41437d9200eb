import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { clientCompilations, layoutConditionsOf } from '../core/client-documents';
import type { ClientObject } from '../core/client-projection-types';
import { expectCrmError, useTestEngine } from '../testing';

/**
 * Field-level layout conditions: a placement's `visible_when` and `read_only_when` are checked
 * like a section's, withheld from a user who may not see a field they read, and compiled into
 * the user's rules module with the section conditions.
 */

const harness = useTestEngine();

const OBJECT = 'deal_fc';
const showsDiscount = { '==': [{ var: 'stage' }, 'won'] };
const locksAmount = { '>': [{ var: 'margin' }, 10] };
let repId: string;

beforeAll(async () => {
  const { engine } = harness();
  await engine.objects.create(systemActor, {
    name: OBJECT,
    label: 'Deal',
    fields: [
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }] },
      { name: 'amount', type: 'integer', label: 'Amount' },
      { name: 'discount', type: 'integer', label: 'Discount' },
      { name: 'margin', type: 'integer', label: 'Margin' },
    ],
  });
  await engine.layouts.create(systemActor, OBJECT, {
    name: 'main',
    type: 'form',
    sections: [
      {
        columns: 2,
        fields: [
          { field: 'title' },
          { field: 'stage' },
          { field: 'discount', visible_when: showsDiscount, read_only_when: { '==': [{ var: 'title' }, 'fixed'] } },
          { field: 'amount', read_only_when: locksAmount, visible_when: { '!=': [{ var: 'title' }, 'none'] } },
          { field: 'margin' },
        ],
      },
    ],
  });
  await engine.roles.create(systemActor, { name: 'fc_rep', label: 'Rep', objects: { [OBJECT]: { read: true, create: true, edit: true, fields: { margin: 'hidden' } } } });
  repId = (await engine.users.create(systemActor, { name: 'Rita Rep', roles: ['fc_rep'] })).id;
});

describe('field-level layout conditions', () => {
  it('stores a placement with visible_when and read_only_when', async () => {
    const { engine } = harness();
    const layout = await engine.layouts.get(systemActor, OBJECT, 'main');
    expect(layout.sections[0]?.fields[2]).toEqual({ field: 'discount', visible_when: showsDiscount, read_only_when: { '==': [{ var: 'title' }, 'fixed'] } });
  });

  it('refuses a condition reading a field that does not exist, a bad rule, or an unknown placement key', async () => {
    const { engine } = harness();
    const cases: [unknown, string][] = [
      [{ columns: 1, fields: [{ field: 'title', visible_when: { '==': [{ var: 'ghost' }, 1] } }] }, 'sections/0/fields/0/visible_when'],
      [{ columns: 1, fields: [{ field: 'title', read_only_when: { '==': [{ var: 'phantom' }, 1] } }] }, 'sections/0/fields/0/read_only_when'],
      [{ columns: 1, fields: [{ field: 'title', read_only_when: { no_such_operator: [1] } }] }, 'sections/0/fields/0/read_only_when'],
      [{ columns: 1, fields: [{ field: 'title', hidden_when: true }] }, 'sections/0/fields/0'],
    ];
    for (const [section, path] of cases) {
      const error = await expectCrmError(engine.layouts.create(systemActor, OBJECT, { name: 'bad', type: 'form', sections: [section] }), 'metadata_invalid');
      expect(error.fields.some((f) => f.path.startsWith(path)), `${JSON.stringify(section)} -> ${JSON.stringify(error.fields)}`).toBe(true);
    }
    expect((await engine.layouts.list(systemActor, OBJECT)).map((l) => l.name)).toEqual(['main']);
  });

  it('follows a field rename into placement conditions', async () => {
    const { engine } = harness();
    await engine.objects.create(systemActor, { name: 'renamed_fc', label: 'R', fields: [{ name: 'a', type: 'integer', label: 'A' }, { name: 'b', type: 'integer', label: 'B' }] });
    await engine.layouts.create(systemActor, 'renamed_fc', { name: 'f', type: 'form', sections: [{ columns: 1, fields: [{ field: 'b', read_only_when: { '>': [{ var: 'a' }, 1] } }] }] });
    await engine.fields.update(systemActor, 'renamed_fc', 'a', { name: 'a2' });
    const layout = await engine.layouts.get(systemActor, 'renamed_fc', 'f');
    expect(layout.sections[0]?.fields[0]).toEqual({ field: 'b', read_only_when: { '>': [{ var: 'a2' }, 1] } });
  });

  it('withholds from a user a condition that reads a field hidden from them, and keeps the others', async () => {
    const { engine } = harness();
    const projection = (await engine.clientMetadata(userActor(repId))).body();
    const deal = projection.objects.find((o) => o.name === OBJECT) as ClientObject;
    const fields = deal.layouts.find((l) => l.name === 'main')!.sections[0]!.fields;
    expect(fields).toEqual([
      { field: 'title' },
      { field: 'stage' },
      { field: 'discount', visible_when: showsDiscount, read_only_when: { '==': [{ var: 'title' }, 'fixed'] } },
      { field: 'amount', visible_when: { '!=': [{ var: 'title' }, 'none'] }, read_only_when_withheld: true },
    ]);
    expect(JSON.stringify(deal.layouts)).not.toContain('margin');
    // The administrator sees them as stored.
    const admin = await engine.users.create(systemActor, { name: 'Ada', roles: ['administrator'] });
    const full = (await engine.clientMetadata(userActor(admin.id))).body().objects.find((o) => o.name === OBJECT)!;
    expect(full.layouts[0]!.sections[0]!.fields[3]).toEqual({ field: 'amount', read_only_when: locksAmount, visible_when: { '!=': [{ var: 'title' }, 'none'] } });
  });

  it("puts the conditions the user may evaluate into the user's compilations, and no withheld one", async () => {
    const { engine } = harness();
    const projection = (await engine.clientMetadata(userActor(repId))).body();
    const deal = projection.objects.find((o) => o.name === OBJECT)!;
    expect(layoutConditionsOf(deal)).toEqual([showsDiscount, { '==': [{ var: 'title' }, 'fixed'] }, { '!=': [{ var: 'title' }, 'none'] }]);
    const rules = clientCompilations({ objects: [deal] }).rules;
    for (const condition of layoutConditionsOf(deal)) expect(rules).toContainEqual({ rule: condition, mode: 'boolean' });
    expect(JSON.stringify(rules)).not.toContain('margin');
  });
});
