import type { UiLocale } from './i18n';

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago" / "3小时前" for recent moments, a date past a week; the exact time belongs in a title attribute. */
export function timeAgo(iso: string, locale: UiLocale, now = Date.now()): string {
  const at = new Date(iso).getTime();
  const elapsed = at - now;
  if (Math.abs(elapsed) > 7 * 86_400_000) return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(at);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) if (Math.abs(elapsed) >= size) return format.format(Math.round(elapsed / size), unit);
  return format.format(0, 'minute');
}

/** Date and time, per locale. */
export function dateTime(iso: string, locale: UiLocale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
