import type { ClientText } from '@crm/engine/core';
import type { UiLocale } from '../i18n/i18n';

/** A metadata label in the user's language, falling back to the other language, then to the API name. */
export function textOf(text: ClientText | undefined | null, locale: UiLocale, fallback = ''): string {
  if (text === undefined || text === null) return fallback;
  if (typeof text === 'string') return text;
  const byLocale = text as Readonly<Record<string, string | undefined>>;
  return byLocale[locale] ?? byLocale[locale === 'en' ? 'zh-CN' : 'en'] ?? Object.values(byLocale).find(Boolean) ?? fallback;
}
