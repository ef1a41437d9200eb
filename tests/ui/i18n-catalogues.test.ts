import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNTIME_UI_DIR } from '../e2e/support/ui-build';

/**
 * Every UI string comes from the catalogues in both languages (runtime-ui/src/i18n/locales/<lang>/
 * <feature>.json, one top-level key named like the file). A key in one language and not the other,
 * or a `t('…')` in the code with no string behind it, would show a raw key to somebody.
 */
const SOURCE = join(RUNTIME_UI_DIR, 'src');
const LOCALES = join(SOURCE, 'i18n', 'locales');
const LANGUAGES = ['en', 'zh-CN'] as const;

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else for (const [inner, text] of leaves(value, path)) found.set(inner, text);
  }
  return found;
}

function catalogue(language: string): { files: string[]; keys: Map<string, string>; tops: Map<string, string[]> } {
  const folder = join(LOCALES, language);
  const files = readdirSync(folder).filter((file) => file.endsWith('.json')).sort();
  const keys = new Map<string, string>();
  const tops = new Map<string, string[]>();
  for (const file of files) {
    const content = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Tree;
    tops.set(file, Object.keys(content));
    for (const [key, text] of leaves(content)) keys.set(key, text);
  }
  return { files, keys, tops };
}

const pluralBase = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [path] : [];
  });
}

/** Key literals passed to t() / i18n.t() (a template literal with ${…} is a computed key: skipped). */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  const call = /(?<![\w$.])(?:i18n(?:ext)?\.)?t\(\s*(['"`])([\w.-]+)\1/g;
  for (const file of sourceFiles(SOURCE)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(call)) if (match[2]!.includes('.')) used.set(match[2]!, relative(RUNTIME_UI_DIR, file));
  }
  return used;
}

describe('UI string catalogues', () => {
  const en = catalogue('en');
  const zh = catalogue('zh-CN');

  it('has the same files in both languages, each holding one top-level key named like the file', () => {
    expect(zh.files).toEqual(en.files);
    for (const language of [en, zh])
      for (const [file, tops] of language.tops) expect({ file, tops }).toEqual({ file, tops: [basename(file, '.json')] });
  });

  it('has every English key in Chinese and every Chinese key in English, none empty', () => {
    // Plural forms differ by language (English _one/_other, Chinese _other alone): compared by base key.
    const enBases = new Set([...en.keys.keys()].map(pluralBase));
    const zhBases = new Set([...zh.keys.keys()].map(pluralBase));
    const missingInZh = [...enBases].filter((key) => !zhBases.has(key));
    const missingInEn = [...zhBases].filter((key) => !enBases.has(key));
    expect({ missingInZh, missingInEn }).toEqual({ missingInZh: [], missingInEn: [] });
    const empty = LANGUAGES.flatMap((language) => [...(language === 'en' ? en : zh).keys].filter(([, text]) => !text.trim()).map(([key]) => `${language}:${key}`));
    expect(empty).toEqual([]);
  });

  it('keeps interpolations alike in both languages', () => {
    const names = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((match) => match[1]).sort();
    const differing = [...en.keys].filter(([key, text]) => zh.keys.has(key) && names(text).join() !== names(zh.keys.get(key)!).join()).map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it('formats every count by the language (2,000 and not 2000): a counted placeholder names the number format', () => {
    const bare = LANGUAGES.flatMap((language) =>
      [...(language === 'en' ? en : zh).keys].flatMap(([key, text]) => [...text.matchAll(/\{\{\s*(count|total|shown|max|failed|done|row|created|updated)\s*\}\}/g)].map((match) => `${language}:${key} {{${match[1]}}}`)),
    );
    expect(bare).toEqual([]);
  });

  it('has a string in both languages for every key the code asks for', () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(5);
    const enBases = new Set([...en.keys.keys()].map(pluralBase));
    const zhBases = new Set([...zh.keys.keys()].map(pluralBase));
    const missing = [...used]
      .filter(([key]) => !enBases.has(key) || !zhBases.has(key))
      .map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });
});
