import { describe, expect, it } from 'vitest';
import { compileInputObject, type ClientObject, type Compilers } from '@crm/engine/core';
import type { FormLayout } from '../../layouts/form-layout';
import { FormLive, type LiveDeps } from './form-live';

/** Compilers for the test's two shapes of condition (`==` and `!=` of a field and a constant); every input passes the schema. */
const compilers: Compilers = {
  rule: (rule) => (data) => {
    const [op, [left, right]] = Object.entries(rule as Record<string, [{ var: string }, unknown]>)[0]!;
    const value = (data as Record<string, unknown>)[left.var];
    return op === '==' ? value === right : value !== right;
  },
  schema: () => Object.assign(() => true, { errors: null }),
};

const isLost = { '==': [{ var: 'stage' }, 'lost'] };
const input = compileInputObject(
  {
    object: { name: 'deal', label: 'Deal' },
    fields: [
      { definition: { name: 'title', type: 'text', label: 'Title' } },
      { definition: { name: 'stage', type: 'text', label: 'Stage' } },
      { definition: { name: 'reason', type: 'text', label: 'Reason' } },
    ],
    validationRules: [{ name: 'no_abcd', condition: { '!=': [{ var: 'title' }, 'abcd'] }, message: 'Title must not be abcd', fields: ['title'] }],
  },
  compilers,
);
const field = (name: string) => ({ name, type: 'text', label: name, mode: 'editable', system: false, value_kind: 'string' });
const object = { name: 'deal', label: 'Deal', fields: ['title', 'stage', 'reason'].map(field), layouts: [] } as unknown as ClientObject;
const layout: FormLayout = {
  name: 'f',
  type: 'form',
  sections: [{ columns: 2, fields: [{ field: 'title' }, { field: 'stage' }] }, { columns: 1, visible_when: isLost, fields: [{ field: 'reason' }] }],
};
const initial = { title: null, stage: null, reason: null };
const deps: LiveDeps = {
  object,
  input,
  layout,
  context: { user: { id: '00000000-0000-0000-0000-000000000000' }, now: new Date('2026-01-01T00:00:00Z') },
  old: undefined,
  initial,
  editing: false,
  locale: 'en',
  holds: (condition, data) => compilers.rule(condition as never, 'boolean')(data) === true,
};

function liveForm() {
  const live = new FormLive(deps, { values: initial, touched: new Set(), submitted: false, server: undefined });
  let notified = 0;
  live.subscribe(() => (notified += 1));
  return { live, notified: () => notified };
}

describe("a form's live state", () => {
  it('shows a rule message under its field as soon as the value breaks it, and takes it away when mended', () => {
    const { live, notified } = liveForm();
    expect(live.get().messages).toEqual({});
    live.setValues({ ...initial, title: 'abcd' });
    expect(live.get().messages).toEqual({ title: 'Title must not be abcd' });
    expect(live.get().dirty).toBe(true);
    live.setValues({ ...initial, title: 'abc' });
    expect(live.get().messages).toEqual({});
    expect(live.get().payload).toEqual({ title: 'abc' });
    expect(notified()).toBe(2);
  });

  it('keeps the layout state (the same array) until a condition changes, so the form does not re-render per key', () => {
    const { live } = liveForm();
    const before = live.get().states;
    live.setValues({ ...initial, title: 'x' });
    expect(live.get().states).toBe(before);
    live.setValues({ ...initial, title: 'x', stage: 'lost' });
    expect(live.get().states).not.toBe(before);
    expect(live.get().states[1]!.visible).toBe(true);
    expect(live.get().shown.has('reason')).toBe(true);
  });

  it('drops what the server said about a field once the user changes it, and shows the rest', () => {
    const { live } = liveForm();
    live.update({ server: { issues: [{ path: 'stage', code: 'unique', message: 'Stage is taken', field: 'stage' }], message: 'Invalid', conflict: false } });
    expect(live.get().messages).toEqual({ stage: 'Stage is taken' });
    live.changed('title');
    expect(live.get().messages).toEqual({ stage: 'Stage is taken' });
    live.changed('stage');
    expect(live.get().messages).toEqual({});
    expect(live.get().touched).toEqual(new Set(['title', 'stage']));
  });
});

describe("a form's per-field notifications", () => {
  it("tells a field's readers only when its own slice changed, and everyone when the layout did", () => {
    const { live } = liveForm();
    const told = { title: 0, stage: 0, reason: 0 };
    for (const name of ['title', 'stage', 'reason'] as const) live.subscribeField(name, () => (told[name] += 1));
    live.setValues({ ...initial, title: 'abc' });
    expect(told).toEqual({ title: 1, stage: 0, reason: 0 });
    // The rule's message comes: the title's slice changes again.
    live.setValues({ ...initial, title: 'abcd' });
    expect(told).toEqual({ title: 2, stage: 0, reason: 0 });
    // Touching a field whose messages do not change tells nobody but the form.
    live.touch('reason');
    expect(told).toEqual({ title: 2, stage: 0, reason: 0 });
    // A condition shows a section: every field is told (what is shown and writable changed).
    live.setValues({ ...initial, title: 'abcd', stage: 'lost' });
    expect(told).toEqual({ title: 3, stage: 1, reason: 1 });
  });
});
