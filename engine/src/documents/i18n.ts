import type { LocalizedText } from '../errors/localized-text';

export { textIn } from '../errors/localized-text';

/** A label in one language, or per language: `"Deal"` or `{"en": "Deal", "zh-CN": "交易"}`. */
export type I18nText = LocalizedText;

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
