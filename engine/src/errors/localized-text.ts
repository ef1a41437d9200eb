import type { Locale } from './catalogue';

/** Text in one language, or per language: `"Amount"` or `{"en": "Amount", "zh-CN": "金额"}` (labels, rule messages). */
export type LocalizedText = string | Readonly<Partial<Record<Locale, string>>>;

/** The text in a language: that language's, else English, else any there is. */
export function textIn(text: LocalizedText, locale: Locale): string;
export function textIn(text: LocalizedText | undefined, locale: Locale): string | undefined;
export function textIn(text: LocalizedText | undefined, locale: Locale): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  return text[locale] ?? text.en ?? Object.values(text)[0] ?? '';
}
