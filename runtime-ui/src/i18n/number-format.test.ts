import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import enImport from './locales/en/import.json';
import enList from './locales/en/list.json';
import zhImport from './locales/zh-CN/import.json';
import zhList from './locales/zh-CN/list.json';

/** The catalogues' `{{count, number}}` goes through i18next's Intl formatter in the UI's language. */
describe('numbers in UI strings', () => {
  const make = async (lng: 'en' | 'zh-CN') => {
    const instance = i18next.createInstance();
    await instance.init({
      resources: { en: { translation: { ...enList, ...enImport } }, 'zh-CN': { translation: { ...zhList, ...zhImport } } },
      lng,
      fallbackLng: false,
      interpolation: { escapeValue: false },
    });
    return instance;
  };

  it('groups thousands as each language writes them, and still picks the plural form', async () => {
    const en = await make('en');
    expect(en.t('list.count', { count: 12000 })).toBe('12,000 records');
    expect(en.t('list.count', { count: 1 })).toBe('1 record');
    expect(en.t('import.progress', { done: 1500, count: 10000 })).toBe('1,500 of 10,000 rows imported');
    const zh = await make('zh-CN');
    expect(zh.t('import.progress', { done: 1500, count: 10000 })).toBe('已导入 1,500 / 10,000 行');
    expect(zh.t('import.problems.tooManyRows', { count: 12000, max: 10000 })).toBe('文件有 12,000 行；每次最多导入 10,000 行。请拆分为较小的文件。');
  });
});
