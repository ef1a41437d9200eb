import Decimal from 'decimal.js';
import type { Locale } from '../errors/catalogue';
import { textIn, type LocalizedText } from '../errors/localized-text';
import type { ClientFieldDescriptor } from '../field-types';

/**
 * A field value as one line of plain text in a language, the way the UIs show it: numbers
 * grouped, money with its currency, dates as dates, options by their labels, booleans as yes/no,
 * a reference by the name the caller found for it. Chosen by the field type's client descriptor
 * (widget, then value kind), never by the type's name. Messages written from a record
 * (notifications) use it; it is browser-safe so a UI can share it.
 */
export interface ValueTextOptions {
  readonly locale: Locale;
  /** IANA zone instants are written in (default: the process's or the browser's). */
  readonly timeZone?: string;
  /** The name of a referenced record or user, when the caller looked it up. */
  readonly nameOf?: (id: string) => string | undefined;
}

const WORDS: Readonly<Record<Locale, { readonly yes: string; readonly no: string }>> = {
  en: { yes: 'Yes', no: 'No' },
  'zh-CN': { yes: '是', no: '否' },
};

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
/** Formats are costly to build: one per locale and options. */
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => F): F {
  let format = formats.get(key) as F | undefined;
  if (!format) {
    format = build();
    formats.set(key, format);
  }
  return format;
}

/** A number or numeric string as an exact decimal (the API writes decimals as strings), else undefined. */
export function exactDecimal(value: unknown): Decimal | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    const decimal = new Decimal(value);
    return decimal.isFinite() ? decimal : undefined;
  } catch {
    return undefined;
  }
}

/** Intl formats a numeric string exactly (no double in between), so money of any size keeps its cents. */
function exactNumber(value: unknown, locale: Locale, options: Intl.NumberFormatOptions, scale: (d: Decimal) => Decimal = (d) => d): string | undefined {
  const decimal = exactDecimal(value);
  if (!decimal) return undefined;
  const format = cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options)) as Intl.NumberFormat & { format(value: string): string };
  return format.format(scale(decimal).toFixed());
}

function numberText(value: unknown, locale: Locale, descriptor: ClientFieldDescriptor, display: unknown): string | undefined {
  const scale = typeof descriptor.scale === 'number' ? descriptor.scale : undefined;
  const currency = typeof descriptor.currencyCode === 'string' ? descriptor.currencyCode : undefined;
  if (display === 'currency') {
    const digits = { minimumFractionDigits: scale ?? 2, maximumFractionDigits: scale ?? 2 };
    return exactNumber(value, locale, currency ? { style: 'currency', currency, ...digits } : digits);
  }
  const places = exactDecimal(value)?.decimalPlaces() ?? 0;
  if (display === 'percent') return exactNumber(value, locale, { style: 'percent', maximumFractionDigits: Math.min(scale ?? places, 20) }, (d) => d.dividedBy(100));
  return exactNumber(value, locale, { minimumFractionDigits: scale ?? 0, maximumFractionDigits: Math.min(scale ?? places, 20) });
}

/** A calendar date (YYYY-MM-DD) as the language writes it; no time zone is involved. */
function dateText(value: unknown, locale: Locale): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  return cached(`d|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: locale === 'zh-CN' ? 'long' : 'medium', timeZone: 'UTC' })).format(date);
}

function datetimeText(value: unknown, locale: Locale, timeZone: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  const options: Intl.DateTimeFormatOptions = { dateStyle: locale === 'zh-CN' ? 'long' : 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) };
  return cached(`t|${locale}|${timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, options)).format(instant);
}

function optionLabel(descriptor: ClientFieldDescriptor, value: unknown, locale: Locale): string {
  const options = Array.isArray(descriptor.options) ? (descriptor.options as readonly { value: unknown; label: LocalizedText }[]) : [];
  const option = options.find((o) => o.value === value);
  return option ? textIn(option.label, locale) : String(value);
}

function referenceText(value: unknown, options: ValueTextOptions): string {
  const id = typeof value === 'string' ? value : typeof value === 'object' && value !== null && 'id' in value ? String((value as { id: unknown }).id) : String(value);
  return options.nameOf?.(id) ?? id;
}

function plain(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** By the kind rules see the value as (formula and rollup results, anything without a widget of its own). */
function byValueKind(descriptor: ClientFieldDescriptor, value: unknown, options: ValueTextOptions): string | undefined {
  switch (descriptor.valueKind) {
    case 'number':
      return numberText(value, options.locale, descriptor, descriptor.display);
    case 'boolean':
      return value ? WORDS[options.locale].yes : WORDS[options.locale].no;
    case 'date':
      return dateText(value, options.locale);
    case 'datetime':
      return datetimeText(value, options.locale, options.timeZone);
    case 'string_array':
      return Array.isArray(value) ? value.map(String).join(', ') : undefined;
    default:
      return undefined;
  }
}

/** The value as text; null and undefined are '' (a false checkbox is "no"). */
export function valueText(descriptor: ClientFieldDescriptor, value: unknown, options: ValueTextOptions): string {
  if (value === null || value === undefined) return '';
  const { locale } = options;
  let text: string | undefined;
  switch (descriptor.widget) {
    case 'checkbox':
      text = value ? WORDS[locale].yes : WORDS[locale].no;
      break;
    case 'integer':
    case 'decimal':
    case 'currency':
    case 'percent':
      text = numberText(value, locale, descriptor, descriptor.widget);
      break;
    case 'date':
      text = dateText(value, locale);
      break;
    case 'datetime':
      text = datetimeText(value, locale, options.timeZone);
      break;
    case 'select':
      text = optionLabel(descriptor, value, locale);
      break;
    case 'multiselect':
      text = (Array.isArray(value) ? value : [value]).map((v) => optionLabel(descriptor, v, locale)).join(locale === 'zh-CN' ? '、' : ', ');
      break;
    case 'lookup':
    case 'user':
      text = referenceText(value, options);
      break;
    default:
      text = byValueKind(descriptor, value, options);
  }
  return text ?? plain(value);
}
