import type { Locale } from '../errors';

/** A label in one language, or per language: `"Deal"` or `{"en": "Deal", "zh-CN": "交易"}`. */
export type I18nText = string | Readonly<Partial<Record<Locale, string>>>;

export const i18nTextSchema = {
  anyOf: [
    { type: 'string', minLength: 1, maxLength: 200 },
    {
      type: 'object',
      properties: {
        en: { type: 'string', minLength: 1, maxLength: 200 },
        'zh-CN': { type: 'string', minLength: 1, maxLength: 200 },
      },
      additionalProperties: false,
      minProperties: 1,
    },
  ],
} as const;

export function textIn(text: I18nText | undefined, locale: Locale): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  return text[locale] ?? text.en ?? Object.values(text)[0];
}
