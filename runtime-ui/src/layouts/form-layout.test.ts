import { describe, expect, it } from 'vitest';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { formLayoutOf, layoutState, shownFields, writableFields, type FormLayout } from './form-layout';

const field = (name: string, mode: 'editable' | 'read_only' = 'editable', system = false): ClientField =>
  ({ name, type: 'text', label: name, mode, system, value_kind: 'string' }) as ClientField;

const object = {
  name: 'deal',
  label: 'Deal',
  fields: [field('id', 'read_only', true), field('title'), field('stage'), field('reason'), field('total', 'read_only'), field('amount')],
  layouts: [],
} as unknown as ClientObject;

const isLost = { '==': [{ var: 'stage' }, 'lost'] };
const layout: FormLayout = {
  name: 'f',
  type: 'form',
  sections: [
    { columns: 2, fields: [{ field: 'title' }, { field: 'stage' }, { field: 'amount', read_only_when: isLost }, { field: 'total' }] },
    { columns: 1, visible_when: isLost, fields: [{ field: 'reason', visible_when: { '!!': [{ var: 'title' }] } }] },
    { columns: 1, fields: [{ field: 'title', read_only_when_withheld: true, visible_when_withheld: true }] },
  ],
};

/** A stand-in for compiled conditions: the test's two rules against a record. */
function evaluateOn(record: Record<string, unknown>) {
  return (condition: unknown) => {
    const text = JSON.stringify(condition);
    if (text === JSON.stringify(isLost)) return record.stage === 'lost';
    if (text === JSON.stringify({ '!!': [{ var: 'title' }] })) return Boolean(record.title);
    throw new Error('unknown condition');
  };
}

describe('form layouts', () => {
  it('falls back to one section of the fields the user may edit', () => {
    expect(formLayoutOf(object)).toEqual({ name: 'default', type: 'form', sections: [{ columns: 2, fields: [{ field: 'title' }, { field: 'stage' }, { field: 'reason' }, { field: 'amount' }] }] });
    expect(formLayoutOf({ ...object, layouts: [layout] } as ClientObject, 'nope')).toBe(layout);
  });

  it('shows sections and fields while their conditions hold, and locks fields by read_only_when', () => {
    const open = layoutState(layout, evaluateOn({ stage: 'open', title: 'x' }));
    expect(open.map((s) => s.visible)).toEqual([true, false, true]);
    expect(open[0]!.fields.map((f) => f.readOnly)).toEqual([false, false, false, false]);
    expect([...shownFields(open)].sort()).toEqual(['amount', 'stage', 'title', 'total']);

    const lost = layoutState(layout, evaluateOn({ stage: 'lost', title: '' }));
    expect(lost[1]!.visible).toBe(true);
    expect(lost[1]!.fields[0]!.visible).toBe(false);
    expect(lost[0]!.fields[2]!.readOnly).toBe(true);
    // A withheld read-only condition locks; a withheld visibility condition shows.
    expect(lost[2]!.fields[0]).toMatchObject({ visible: true, readOnly: true });
  });

  it('counts a condition that throws as not holding', () => {
    const states = layoutState({ name: 'x', type: 'form', sections: [{ columns: 1, visible_when: { bad: 1 }, fields: [{ field: 'title', read_only_when: { bad: 2 } }] }] }, evaluateOn({}));
    expect(states[0]).toMatchObject({ visible: false, fields: [{ visible: true, readOnly: false }] });
  });

  it('sends editable fields not locked by the layout, hidden or not (hiding never erases input)', () => {
    const lost = layoutState(layout, evaluateOn({ stage: 'lost', title: '' }));
    // title is placed twice: once locked (withheld condition), once editable.
    expect([...writableFields(object, lost)].sort()).toEqual(['reason', 'stage', 'title']);
    const open = layoutState(layout, evaluateOn({ stage: 'open', title: 'x' }));
    expect([...writableFields(object, open)].sort()).toEqual(['amount', 'reason', 'stage', 'title']);
  });
});
