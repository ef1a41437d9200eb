import { readdirSync, readFileSync } from 'node:fs';
import { createInstance, type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { failureText, refusalText } from './refusal';

/** The real catalogues of a language, merged as the app merges them. */
function catalogue(language: string): Record<string, unknown> {
  const folder = new URL(`../i18n/locales/${language}/`, import.meta.url);
  return Object.assign({}, ...readdirSync(folder).map((file) => JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Record<string, unknown>));
}

const UUID = '01a243a8-5b7e-4c1d-9f00-1234567890ab';
const lockedError = () => new ApiError(409, 'record_locked', `商机「${UUID}」正在等待审批：在审批完成或撤回之前不能修改`);

describe('refusal texts', () => {
  let zh: TFunction;
  let en: TFunction;
  beforeAll(async () => {
    const i18n = createInstance();
    await i18n.init({ resources: { en: { translation: catalogue('en') }, 'zh-CN': { translation: catalogue('zh-CN') } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
    zh = i18n.getFixedT('zh-CN');
    en = i18n.getFixedT('en');
  });

  it('names a record locked by an approval by its title, or as "this record", never by its id', () => {
    expect(refusalText(lockedError(), zh, 'Rita 待审批大单')).toBe('「Rita 待审批大单」正在等待审批，审批完成或撤回之前不能修改。');
    expect(refusalText(lockedError(), en, 'Big deal')).toBe('Big deal is awaiting approval, and cannot change until the request is decided or recalled.');
    expect(refusalText(lockedError(), zh)).toBe('这条记录正在审批，审批完成或撤回之前不能修改。');
    for (const text of [refusalText(lockedError(), zh), refusalText(lockedError(), en, 'x')]) expect(text).not.toMatch(/opportunity|[0-9a-f]{8}-/);
  });

  it("keeps any other refusal in the server's words, with the field issues its message does not already hold", () => {
    const rule = new ApiError(422, 'validation_failed', 'Fix 1 field', [
      { path: 'amount', code: 'rule:positive', message: 'Amount must be positive' },
      { path: 'stage', code: 'required', message: 'Fix 1 field' },
    ]);
    expect(refusalText(rule, en)).toBe('Fix 1 field Amount must be positive');
    expect(refusalText(new ApiError(403, 'forbidden', 'You may not edit this record'), zh, 'X')).toBe('You may not edit this record');
    expect(refusalText(new TypeError('Failed to fetch'), en)).toBe('Failed to fetch');
  });

  it('phrases a bulk failure per record, and a refused transfer for the whole selection', () => {
    expect(failureText({ id: UUID, code: 'record_locked', message: `Record ${UUID} …` }, en)).toBe(
      'This record is waiting for approval: it cannot be changed until the request is decided or recalled.',
    );
    expect(failureText({ id: '', code: 'record_locked', message: `Record ${UUID} …` }, zh)).toBe('所选记录中有正在审批的记录，审批完成或撤回之前不能修改，因此全部未转移。');
    expect(failureText({ id: UUID, code: 'version_conflict', message: 'Changed meanwhile' }, en)).toBe('Changed meanwhile');
    expect(failureText({ id: UUID, message: 'TypeError: Failed to fetch' }, en)).toBe('TypeError: Failed to fetch');
  });
});
