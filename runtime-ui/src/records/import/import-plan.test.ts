import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { columnSamples, failedRowsCsv, importableFields, importCsv, matchColumns, matchingFields, MAX_UNKNOWN_VALUES, problemOf, templateCsv, unknownOptionValues } from './import-plan';
import { cellText } from './read-workbook';
import { readFileSync } from 'node:fs';
import { decodeText, SHEET_PROBLEMS, SheetProblem, tableOf } from './read-sheet';

const field = (name: string, label: ClientField['label'], extra: Record<string, unknown> = {}) => ({ name, type: 'text', label, mode: 'editable', system: false, value_kind: 'string', ...extra }) as unknown as ClientField;

const contact = {
  name: 'contact',
  label: { en: 'Contact', 'zh-CN': '联系人' },
  title_field: 'full_name',
  fields: [
    field('id', 'ID', { system: true, mode: 'read_only' }),
    field('owner_id', { en: 'Owner', 'zh-CN': '负责人' }, { system: true, type: 'user' }),
    field('created_at', 'Created at', { system: true, mode: 'read_only' }),
    field('full_name', { en: 'Name', 'zh-CN': '姓名' }),
    field('email', { en: 'Email', 'zh-CN': '邮箱' }, { unique: true }),
    field('number', { en: 'Number', 'zh-CN': '编号' }, { mode: 'read_only' }),
  ],
} as unknown as ClientObject;

describe('the columns of an import', () => {
  it('offers the fields the user may set (the owner among the system fields), and unique ones to match by', () => {
    expect(importableFields(contact).map((f) => f.name)).toEqual(['owner_id', 'full_name', 'email']);
    expect(matchingFields(contact).map((f) => f.name)).toEqual(['email']);
  });

  it('matches a header by API name or by a label in any language, case and spaces aside, each field once', () => {
    const fields = importableFields(contact);
    expect(matchColumns(fields, ['姓名', ' EMAIL ', 'owner_id', 'Name', '编号', 'Source'])).toEqual(['full_name', 'email', 'owner_id', null, null, null]);
  });
});

describe('the file sent to the API', () => {
  it('keeps the mapped columns under API names, and knows the lines each row spans', () => {
    const sheet = tableOf('a.csv', [
      ['姓名', 'Source', '邮箱'],
      ['One', 'fair', 'one@example.com'],
      ['Two\nlines', 'web', 'two@example.com'],
      ['Three', '', 'three@example.com'],
    ]);
    const { text, spans } = importCsv(sheet, ['full_name', null, 'email']);
    expect(columnSamples(sheet)).toEqual(['One · Two\nlines', 'fair · web', 'one@example.com · two@example.com']);
    expect(Papa.parse(text).data).toEqual([
      ['full_name', 'email'],
      ['One', 'one@example.com'],
      ['Two\nlines', 'two@example.com'],
      ['Three', 'three@example.com'],
    ]);
    expect(spans).toEqual([
      [2, 2],
      [3, 4],
      [5, 5],
    ]);
  });

  it('finds the values of select columns that are no option, and sends the options the user chose for them', () => {
    const options = [
      { value: 'a', label: { en: 'A - strategic', 'zh-CN': 'A - 战略客户' } },
      { value: 'b', label: { en: 'B - key', 'zh-CN': 'B - 重点客户' } },
      { value: 'vip', label: 'VIP' },
      { value: 'partner', label: { en: 'Partner', 'zh-CN': '合作伙伴' } },
    ];
    const fields = [field('name', 'Name'), field('tier', 'Tier', { type: 'select', options: options.slice(0, 2) }), field('tags', 'Tags', { type: 'multiselect', options: options.slice(2) })];
    const sheet = tableOf('a.csv', [
      ['Name', 'Tier', 'Tags'],
      ['One', 'A类', 'VIP; 老客户'],
      ['Two', 'a - STRATEGIC', '老客户;合作伙伴'],
      ['Three', 'A类', ''],
      ['Four', 'b', 'vip;老客户;老客户'],
      ['Five', ' C类 ', 'partner'],
    ]);
    const mapping = ['name', 'tier', 'tags'];
    // Labels in any language and API values are options (as the API reads them); a value counts once per row.
    expect(unknownOptionValues(fields, sheet, mapping)).toEqual({
      found: [
        { column: 1, field: 'tier', values: [{ value: 'A类', rows: 2 }, { value: 'C类', rows: 1 }] },
        { column: 2, field: 'tags', values: [{ value: '老客户', rows: 3 }] },
      ],
      more: 0,
    });
    // A column left out, or going into a text field, has nothing to map.
    expect(unknownOptionValues(fields, sheet, ['name', null, null]).found).toEqual([]);

    // A类 means a; 老客户 is left out of the tags; C类 is sent as it is (its row will fail).
    const { text } = importCsv(sheet, mapping, { 1: { A类: 'a' }, 2: { 老客户: null } }, fields);
    expect(Papa.parse(text).data).toEqual([
      ['name', 'tier', 'tags'],
      ['One', 'a', 'VIP'],
      ['Two', 'a - STRATEGIC', '合作伙伴'],
      ['Three', 'a', ''],
      ['Four', 'b', 'vip'],
      ['Five', ' C类 ', 'partner'],
    ]);
    // Choices made for one column do not touch another column holding the same text.
    expect(Papa.parse(importCsv(tableOf('a.csv', [['Tier', 'Name'], ['A类', 'A类']]), ['tier', 'name'], { 0: { A类: 'a' } }, fields).text).data).toEqual([
      ['tier', 'name'],
      ['a', 'A类'],
    ]);

    // A column with many unknown values (likely the wrong field) lists the first ones and counts the rest.
    const many = tableOf('a.csv', [['Tier'], ...Array.from({ length: MAX_UNKNOWN_VALUES + 5 }, (_, index) => [`T${index}`])]);
    const found = unknownOptionValues(fields, many, ['tier']);
    expect(found.found[0]!.values).toHaveLength(MAX_UNKNOWN_VALUES);
    expect(found.more).toBe(5);
  });

  it('gives back the failed rows as the file had them, with the problem last, and an empty file with the labels', () => {
    const sheet = tableOf('a.csv', [
      ['姓名', 'Source'],
      ['One', '=1+1'],
      ['Two', 'web'],
    ]);
    const csv = failedRowsCsv(sheet, [{ row: 1, problem: '邮箱 已被使用' }], '问题');
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(Papa.parse(csv.slice(1), { skipEmptyLines: true }).data).toEqual([
      ['姓名', 'Source', '问题'],
      ['Two', 'web', '邮箱 已被使用'],
    ]);
    expect(templateCsv(contact, 'zh-CN')).toBe('\ufeff负责人,姓名,邮箱\r\n');
    expect(problemOf({ line: 2, status: 'failed', error: { code: 'validation_failed', message: 'Some fields', fields: [{ path: 'a', message: 'A is required' }, { path: 'b', message: 'B is too long' }] } })).toBe('A is required; B is too long');
    expect(problemOf({ line: 2, status: 'failed', error: { code: 'forbidden', message: 'You may not' } })).toBe('You may not');
  });
});

describe('reading a sheet', () => {
  it('pads short rows, drops empty ones and refuses what cannot be imported', () => {
    expect(tableOf('a.csv', [['A', 'B', ''], ['1'], ['', ''], ['2', '3']]).rows).toEqual([
      ['1', ''],
      ['2', '3'],
    ]);
    const problem = (cells: string[][]): [string, unknown] | undefined => {
      try {
        tableOf('a.csv', cells);
      } catch (error) {
        if (error instanceof SheetProblem) return [error.key, error.values];
        throw error;
      }
      return undefined;
    };
    expect(problem([])).toEqual(['empty', {}]);
    expect(problem([['A']])).toEqual(['noRows', {}]);
    expect(problem([['A', '', 'C'], ['1', '2', '3']])).toEqual(['blankHeader', { column: 2 }]);
    expect(problem([['A'], ['1'], ['1', 'extra']])).toEqual(['longRow', { row: 3 }]);
    expect(problem([['A'], ...Array.from({ length: 10_001 }, () => ['x'])])?.[0]).toBe('tooManyRows');
  });

  it('reads UTF-8, and GB18030 as Chinese Excel saves CSV', () => {
    expect(decodeText(new TextEncoder().encode('\ufeff姓名,邮箱').buffer)).toBe('姓名,邮箱');
    // 姓名 in GB18030.
    expect(decodeText(new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb]).buffer)).toBe('姓名');
  });

  it('reads workbook cells as the text a person sees', () => {
    expect(cellText(12.5)).toBe('12.5');
    expect(cellText(true)).toBe('true');
    expect(cellText(new Date(Date.UTC(2026, 11, 5)))).toBe('2026-12-05');
    expect(cellText(new Date(Date.UTC(2026, 11, 5, 9, 30)))).toBe('2026-12-05T09:30:00.000Z');
    expect(cellText({ richText: [{ text: '华信' }, { text: '精密' }] })).toBe('华信精密');
    expect(cellText({ formula: 'A1*2', result: 4 })).toBe('4');
    expect(cellText({ text: 'site', hyperlink: 'https://example.com' })).toBe('site');
    expect(cellText({ error: '#N/A' })).toBe('');
    expect(cellText(null)).toBe('');
  });
});

describe('the reasons a file is refused', () => {
  it('are worded in both languages', () => {
    for (const language of ['en', 'zh-CN']) {
      const catalogue = JSON.parse(readFileSync(new URL(`../../i18n/locales/${language}/import.json`, import.meta.url), 'utf8')) as { import: { problems: Record<string, string> } };
      for (const key of SHEET_PROBLEMS) expect(catalogue.import.problems[key], `${language} ${key}`).toBeTruthy();
    }
  });
});
