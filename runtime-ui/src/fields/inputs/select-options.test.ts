import { describe, expect, it } from 'vitest';
import type { ClientFieldDescriptor } from '@crm/engine/core';
import { choicesOf } from './select-options';

const stage: ClientFieldDescriptor = {
  widget: 'select',
  valueKind: 'string',
  options: [
    { value: 'open', label: { en: 'Open', 'zh-CN': '进行中' } },
    { value: 'lost', label: { en: 'Lost', 'zh-CN': '输单' } },
    { value: 'old', label: 'Retired', active: false },
  ],
};
const reason: ClientFieldDescriptor = {
  widget: 'select',
  valueKind: 'string',
  controllingField: 'stage',
  options: [
    { value: 'price', label: { en: 'Price', 'zh-CN': '价格' }, valid_for: ['lost'] },
    { value: 'other', label: 'Other' },
  ],
};

describe('select choices', () => {
  it('offers active options in the user language, and a retired one only while the field holds it', () => {
    expect(choicesOf(stage, 'zh-CN', null, {})).toEqual([
      { value: 'open', label: '进行中' },
      { value: 'lost', label: '输单' },
    ]);
    expect(choicesOf(stage, 'en', 'old', {}).map((c) => c.value)).toEqual(['open', 'lost', 'old']);
  });

  it("filters a dependent select by the controlling field's current value", () => {
    expect(choicesOf(reason, 'en', null, { stage: 'open' }).map((c) => c.value)).toEqual(['other']);
    expect(choicesOf(reason, 'en', null, { stage: 'lost' }).map((c) => c.value)).toEqual(['price', 'other']);
    expect(choicesOf(reason, 'en', null, { stage: null }).map((c) => c.value)).toEqual(['other']);
    // A held value no longer valid stays visible, so the check can say what is wrong with it.
    expect(choicesOf(reason, 'en', 'price', { stage: 'open' }).map((c) => c.value)).toEqual(['price', 'other']);
    expect(choicesOf({ ...reason, widget: 'multiselect' }, 'en', ['price'], { stage: 'open' }).map((c) => c.value)).toEqual(['price', 'other']);
  });
});
