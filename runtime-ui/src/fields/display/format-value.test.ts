import { describe, expect, it } from 'vitest';
import type { ClientField } from '@crm/engine/core';
import { descriptorOf } from '../field-widget';
import { displayText, formatValue, type FormatContext } from './format-value';

const en: FormatContext = { locale: 'en', userId: 'u-me', words: { me: 'me', yes: 'Yes', no: 'No' } };
const zh: FormatContext = { ...en, locale: 'zh-CN', words: { me: '我', yes: '是', no: '否' } };
const field = (definition: Record<string, unknown>) => ({ name: 'f', label: 'F', mode: 'editable', system: false, value_kind: 'string', ...definition }) as unknown as ClientField;
const describe_ = (definition: Record<string, unknown>) => descriptorOf(field(definition), []);
const shown = (definition: Record<string, unknown>, value: unknown, context = en) => displayText(formatValue(describe_(definition), value, context));

describe('formatValue', () => {
  it('shows null, undefined, empty text and empty lists as empty', () => {
    for (const value of [null, undefined, '', []]) expect(formatValue(describe_({ type: 'text' }), value, en)).toEqual({ kind: 'empty' });
    expect(formatValue(describe_({ type: 'multiselect', options: [] }), [], en).kind).toBe('empty');
    expect(formatValue(describe_({ type: 'currency', currency_code: 'CNY' }), null, en).kind).toBe('empty');
  });

  it('formats integers and decimals per locale', () => {
    expect(shown({ type: 'integer' }, 1234567)).toBe('1,234,567');
    expect(shown({ type: 'decimal', scale: 3 }, '1234.5')).toBe('1,234.500');
    expect(shown({ type: 'decimal', scale: 2 }, '-0.5', zh)).toBe('-0.50');
  });

  it('keeps decimals exact: money is never rounded through a float', () => {
    expect(shown({ type: 'currency', currency_code: 'CNY', precision: 20, scale: 2 }, '12345678901234567.89', zh)).toBe('¥12,345,678,901,234,567.89');
    expect(shown({ type: 'currency', currency_code: 'USD', precision: 20, scale: 2 }, '9007199254740993.01')).toBe('$9,007,199,254,740,993.01');
    expect(shown({ type: 'decimal', precision: 20, scale: 2 }, '0.10')).toBe('0.10');
  });

  it('shows the currency of the field definition', () => {
    expect(shown({ type: 'currency', currency_code: 'EUR' }, '1500')).toBe('€1,500.00');
    expect(shown({ type: 'currency', currency_code: 'CNY' }, '1500', zh)).toBe('¥1,500.00');
    expect(shown({ type: 'currency' }, '1500')).toBe('1,500.00');
  });

  it('reads a percent field as written (12.5 is 12.5 %)', () => {
    expect(shown({ type: 'percent' }, '12.5')).toBe('12.5%');
    expect(shown({ type: 'percent' }, '100', zh)).toBe('100%');
  });

  it('formats dates and datetimes per locale', () => {
    expect(shown({ type: 'date' }, '2026-03-05')).toBe('Mar 5, 2026');
    expect(shown({ type: 'date' }, '2026-03-05', zh)).toBe('2026年3月5日');
    expect(shown({ type: 'datetime' }, '2026-03-05T10:30:00.000Z', zh)).toMatch(/^2026年3月5日 \d\d:\d\d$/);
  });

  it('shows option labels in the user language with their colour', () => {
    const options = [
      { value: 'won', label: { en: 'Won', 'zh-CN': '赢单' }, color: 'green' },
      { value: 'lost', label: { en: 'Lost', 'zh-CN': '输单' } },
    ];
    const optionLabel = (o: { value: string; label: unknown }) => (o.label as Record<string, string>)[zh.locale] ?? o.value;
    expect(formatValue(describe_({ type: 'select', options }), 'won', { ...zh, optionLabel })).toEqual({ kind: 'options', options: [{ value: 'won', label: '赢单', color: 'green' }] });
    expect(shown({ type: 'multiselect', options }, ['won', 'lost', 'gone'], { ...zh, optionLabel })).toBe('赢单, 输单, gone');
  });

  it('links emails, phones and only http(s) urls', () => {
    expect(formatValue(describe_({ type: 'email' }), 'a@b.cn', en)).toMatchObject({ kind: 'link', href: 'mailto:a@b.cn' });
    expect(formatValue(describe_({ type: 'phone' }), '+86 138-0000-0000', en)).toMatchObject({ kind: 'link', href: 'tel:+8613800000000' });
    expect(formatValue(describe_({ type: 'url' }), 'https://example.com/x', en)).toMatchObject({ kind: 'link', external: true });
    expect(formatValue(describe_({ type: 'url' }), 'javascript:alert(1)', en)).toEqual({ kind: 'text', text: 'javascript:alert(1)' });
  });

  it('shows checkboxes as yes/no', () => {
    expect(shown({ type: 'boolean' }, true, zh)).toBe('是');
    expect(shown({ type: 'boolean' }, false, zh)).toBe('否');
    // A boolean formula's false is an answer, not an empty value (the template's "Closed").
    expect(formatValue({ widget: 'formula', valueKind: 'boolean' }, false, zh)).toEqual({ kind: 'text', text: '否' });
    expect(formatValue({ widget: 'formula', valueKind: 'boolean' }, false, { locale: 'en' })).toEqual({ kind: 'text', text: 'No' });
  });

  it('shows an expanded reference by its title, else a short id', () => {
    const context: FormatContext = { ...en, titleOf: (_t, r) => r.name as string, recordHref: (t, id) => `/o/${t}/${id}` };
    const lookup = describe_({ type: 'lookup', target: 'account' });
    expect(formatValue(lookup, { id: 'a1', name: 'Huaxin' }, context)).toEqual({ kind: 'reference', id: 'a1', text: 'Huaxin', href: '/o/account/a1' });
    expect(formatValue(lookup, '0123456789abcdef', context)).toMatchObject({ text: '01234567…', href: '/o/account/0123456789abcdef' });
  });

  it('shows a reference the reader may not open as "no access", as text without a link', () => {
    const context: FormatContext = { ...zh, words: { ...zh.words!, noAccess: '无权查看' }, titleOf: (_t, r) => r.name as string, recordHref: (t, id) => (t === 'account' ? `/o/${t}/${id}` : '') };
    // Expanded to its id alone: the API withholds the record (not readable, or in the recycle bin).
    expect(formatValue(describe_({ type: 'lookup', target: 'account' }), { id: 'a1' }, context)).toEqual({ kind: 'reference', id: 'a1', text: '无权查看', unreadable: true });
    // An object missing from the reader's metadata: nothing to open.
    expect(formatValue(describe_({ type: 'lookup', target: 'contract' }), 'c1', context)).toEqual({ kind: 'reference', id: 'c1', text: '无权查看', unreadable: true });
    expect(displayText(formatValue(describe_({ type: 'lookup', target: 'account' }), { id: 'a1' }, en))).toBe('No access');
    // Expanded with a hidden title field: still a record the reader can open.
    expect(formatValue(describe_({ type: 'lookup', target: 'account' }), { id: '0123456789abcdef', owner_id: 'u1' }, context)).toMatchObject({ text: '01234567…', href: '/o/account/0123456789abcdef' });
  });

  it('shows users by name, the signed-in user as "me"', () => {
    const user = describe_({ type: 'user' });
    expect(shown({ type: 'user' }, { id: 'u1', name: 'Li Lei' })).toBe('Li Lei');
    expect(formatValue(user, 'u-me', zh)).toMatchObject({ text: '我' });
  });

  it('formats formulas by their result kind and json as compact text', () => {
    expect(formatValue({ widget: 'formula', valueKind: 'number' }, 1234.5, en)).toEqual({ kind: 'text', text: '1,234.5' });
    expect(formatValue({ widget: 'formula', valueKind: 'date' }, '2026-01-02', en)).toEqual({ kind: 'text', text: 'Jan 2, 2026' });
    // Money, percent and scale from the result's type (formula currency_code, a rollup's aggregated field).
    expect(formatValue({ widget: 'formula', valueKind: 'number', display: 'currency', currencyCode: 'CNY', scale: 2 }, 38000, en)).toEqual({ kind: 'text', text: 'CN¥38,000.00' });
    expect(formatValue({ widget: 'formula', valueKind: 'number', display: 'currency', currencyCode: 'CNY', scale: 2 }, 38000, zh)).toEqual({ kind: 'text', text: '¥38,000.00' });
    expect(formatValue({ widget: 'rollup', valueKind: 'number', display: 'percent' }, '12.5', en)).toEqual({ kind: 'text', text: '12.5%' });
    expect(formatValue({ widget: 'rollup', valueKind: 'number', display: 'decimal', scale: 2 }, '7', en)).toEqual({ kind: 'text', text: '7.00' });
    expect(shown({ type: 'json' }, { a: [1, '<b>'] })).toBe('{"a":[1,"<b>"]}');
  });
});
