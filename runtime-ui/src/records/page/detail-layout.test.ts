import type { ClientField, ClientObject, Compilers } from '@crm/engine/core';
import { describe, expect, it } from 'vitest';
import { detailSections, keyFields, relatedListsOf, visibleSections } from './detail-layout';

const field = (name: string, system = false): ClientField => ({ name, type: 'text', label: name, mode: 'editable', system, value_kind: 'string' }) as unknown as ClientField;

function objectWith(layouts: unknown[], fields = ['id', 'owner_id', 'name', 'stage', 'amount', 'notes']): ClientObject {
  return {
    name: 'deal',
    label: 'Deal',
    title_field: 'name',
    fields: fields.map((name) => field(name, name === 'id' || name === 'owner_id')),
    layouts,
    views: [],
    validation_rules: [],
    server_only_rules: 0,
    approval_processes: [],
    permissions: { create: true, read: true, edit: true, delete: true, export: true, transfer: true, read_scope: 'all', edit_scope: 'all' },
  } as unknown as ClientObject;
}

/** Compilers whose rules check `stage` against the rule's literal, like the generated module would. */
const compilers: Pick<Compilers, 'rule'> = {
  rule: (rule) => (data) => (data as Record<string, unknown>).stage === (rule as { '==': [unknown, unknown] })['=='][1],
};

describe('detail sections', () => {
  it('shows every visible user field in two columns without a detail layout, the title in the header', () => {
    const sections = detailSections(objectWith([{ name: 'f', type: 'form', sections: [] }]));
    expect(sections).toHaveLength(1);
    expect(sections[0]!.columns).toBe(2);
    expect(sections[0]!.cells.map((c) => c.field.name)).toEqual(['stage', 'amount', 'notes']);
  });

  it('follows the detail layout: columns, spans capped by the columns, fields the user may not see skipped', () => {
    const object = objectWith([
      {
        name: 'd',
        type: 'detail',
        sections: [
          { columns: 3, fields: [{ field: 'stage' }, { field: 'secret' }, { field: 'notes', span: 5 }] },
          { label: 'Lost', columns: 1, fields: [{ field: 'amount' }], visible_when: { '==': [{ var: 'stage' }, 'lost'] } },
        ],
      },
    ]);
    const sections = detailSections(object);
    expect(sections[0]!.cells.map((c) => [c.field.name, c.span])).toEqual([
      ['stage', 1],
      ['notes', 3],
    ]);
    expect(visibleSections(sections, compilers, { stage: 'won' }).map((s) => s.key)).toEqual(['section-0']);
    expect(visibleSections(sections, compilers, { stage: 'lost' }).map((s) => s.key)).toEqual(['section-0', 'section-1']);
    expect(keyFields(object, sections).map((f) => f.name)).toEqual(['stage', 'notes', 'amount']);
  });

  it('shows a section whose condition cannot be evaluated rather than hiding values', () => {
    const sections = detailSections(objectWith([{ name: 'd', type: 'detail', sections: [{ columns: 1, fields: [{ field: 'stage' }], visible_when: { '==': [1, 1] } }] }]));
    const failing: Pick<Compilers, 'rule'> = {
      rule: () => {
        throw new Error('not in the module');
      },
    };
    expect(visibleSections(sections, failing, {})).toHaveLength(1);
  });

  it('lists only related lists of objects the user may read', () => {
    const object = objectWith([
      {
        name: 'd',
        type: 'detail',
        sections: [],
        related_lists: [
          { object: 'contact', field: 'deal', columns: ['name'] },
          { object: 'hidden', field: 'deal', columns: ['name'] },
        ],
      },
    ]);
    const contact = { ...objectWith([]), name: 'contact' } as ClientObject;
    expect(relatedListsOf(object, (name) => (name === 'contact' ? contact : undefined)).map((r) => r.child.name)).toEqual(['contact']);
  });
});
