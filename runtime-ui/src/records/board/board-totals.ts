import type { ClientField } from '@crm/engine/core';
import type { UiLocale } from '../../i18n/i18n';

/**
 * A column's total for its header, per locale, compact (¥1.2M / ¥120万) so it fits a column
 * head; the exact figure comes from the server as a decimal string.
 */
export function formatTotal(sum: string | null, field: ClientField, locale: UiLocale): string {
  const value = sum === null ? 0 : Number(sum);
  const code = 'currency_code' in field && typeof field.currency_code === 'string' ? field.currency_code : undefined;
  const options: Intl.NumberFormatOptions = { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1, ...(code ? { style: 'currency', currency: code } : {}) };
  return new Intl.NumberFormat(locale, options).format(value);
}
