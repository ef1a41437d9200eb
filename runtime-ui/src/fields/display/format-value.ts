import Decimal from 'decimal.js';
import dayjs from 'dayjs';
import { exactDecimal, type ClientFieldDescriptor } from '@crm/engine/core';

/**
 * A field value as display parts, without React: list cells, kanban cards, the record page and
 * search results all show values through this one function, so a number or a date reads the same
 * everywhere. Everything here is text; links carry an href the caller renders as an attribute.
 */
export type DisplayLocale = 'en' | 'zh-CN';

export interface DisplayOption {
  readonly value: string;
  readonly label: string;
  readonly color?: string;
}

export type DisplayValue =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly href: string; readonly external: boolean }
  | { readonly kind: 'options'; readonly options: readonly DisplayOption[] }
  /**
   * A referenced record or user: `href` only when it is a record the app can open; `unreadable`
   * when the API withholds the record from the reader (the text then says "no access").
   */
  | { readonly kind: 'reference'; readonly text: string; readonly id: string; readonly href?: string; readonly unreadable?: true };

export interface FormatContext {
  readonly locale: DisplayLocale;
  /** The signed-in user (a user field holding their id reads "me"). */
  readonly userId?: string;
  /** The label of an option in the user's language. */
  readonly optionLabel?: (option: { readonly value: string; readonly label: unknown }) => string;
  /** The title of a referenced record of `target` (the target's title field), if known. */
  readonly titleOf?: (target: string, record: Readonly<Record<string, unknown>>) => string | undefined;
  /** Where the record page of a referenced record is. */
  readonly recordHref?: (target: string, id: string) => string;
  /** Text for "me", for booleans and for a record the reader may not open, from the catalogue. */
  readonly words?: { readonly me: string; readonly yes: string; readonly no: string; readonly noAccess?: string };
}

const EMPTY: DisplayValue = { kind: 'empty' };
const DEFAULT_WORDS = { me: 'me', yes: 'Yes', no: 'No' };

function text(value: string): DisplayValue {
  return { kind: 'text', text: value };
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** Formats are costly to build and a list formats thousands of cells: one per locale and options. */
function numberFormat(locale: DisplayLocale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * Intl formats a numeric *string* exactly (no conversion to a double), so money of any size keeps
 * its cents: the value goes in as decimal.js's fixed-point text.
 */
function formatExact(decimal: Decimal, locale: DisplayLocale, options: Intl.NumberFormatOptions): string {
  const format = numberFormat(locale, options) as Intl.NumberFormat & { format(value: string): string };
  return format.format(decimal.toFixed());
}

export function formatNumber(value: unknown, locale: DisplayLocale, scale?: number): string | undefined {
  const decimal = exactDecimal(value);
  if (!decimal) return undefined;
  const digits = scale ?? Math.min(Math.max(decimal.decimalPlaces(), 0), 20);
  return formatExact(decimal, locale, { minimumFractionDigits: scale ?? 0, maximumFractionDigits: digits });
}

export function formatCurrency(value: unknown, locale: DisplayLocale, currency: string | undefined, scale = 2): string | undefined {
  const decimal = exactDecimal(value);
  if (!decimal) return undefined;
  if (!currency) return formatExact(decimal, locale, { minimumFractionDigits: scale, maximumFractionDigits: scale });
  return formatExact(decimal, locale, { style: 'currency', currency, minimumFractionDigits: scale, maximumFractionDigits: scale });
}

/** A percent field stores 12.5 for 12.5 %. */
export function formatPercent(value: unknown, locale: DisplayLocale, scale?: number): string | undefined {
  const decimal = exactDecimal(value);
  if (!decimal) return undefined;
  const digits = scale ?? Math.min(decimal.decimalPlaces(), 20);
  return formatExact(decimal.dividedBy(100), locale, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/** A calendar date (YYYY-MM-DD) as the locale writes it; no time zone is involved. */
export function formatDate(value: unknown, locale: DisplayLocale): string | undefined {
  if (typeof value !== 'string') return undefined;
  const date = dayjs(value.slice(0, 10), 'YYYY-MM-DD');
  if (!date.isValid()) return undefined;
  return locale === 'zh-CN' ? date.format('YYYY年M月D日') : date.locale('en').format('MMM D, YYYY');
}

/** An instant in the browser's time zone. */
export function formatDatetime(value: unknown, locale: DisplayLocale): string | undefined {
  if (typeof value !== 'string') return undefined;
  const instant = dayjs(value);
  if (!instant.isValid()) return undefined;
  return locale === 'zh-CN' ? instant.format('YYYY年M月D日 HH:mm') : instant.locale('en').format('MMM D, YYYY h:mm A');
}

/** Only http(s) addresses become links: a `javascript:` URL stays text. */
export function safeUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

function optionsOf(descriptor: ClientFieldDescriptor): readonly { value: string; label: unknown; color?: string }[] {
  return Array.isArray(descriptor.options) ? (descriptor.options as { value: string; label: unknown; color?: string }[]) : [];
}

function optionDisplay(descriptor: ClientFieldDescriptor, value: string, context: FormatContext): DisplayOption {
  const option = optionsOf(descriptor).find((o) => o.value === value);
  if (!option) return { value, label: value };
  const label = context.optionLabel ? context.optionLabel(option) : typeof option.label === 'string' ? option.label : value;
  return option.color ? { value, label, color: option.color } : { value, label };
}

/**
 * A reference the reader cannot open, as neutral text without a link (the id only in a title):
 * the API tells "not readable" and "in the recycle bin" apart to nobody, so neither does this.
 */
function unreadableReference(id: string, context: FormatContext): DisplayValue {
  return { kind: 'reference', id, text: context.words?.noAccess ?? 'No access', unreadable: true };
}

function referenceDisplay(value: unknown, target: string | undefined, context: FormatContext): DisplayValue {
  if (typeof value === 'string') {
    const href = target && context.recordHref ? context.recordHref(target, value) : undefined;
    // No page to open: the target object is not in the reader's metadata (they may not read it).
    if (href === '') return unreadableReference(value, context);
    return { kind: 'reference', id: value, text: shortId(value), ...(href ? { href } : {}) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return EMPTY;
  const record = value as Readonly<Record<string, unknown>>;
  const id = typeof record.id === 'string' ? record.id : '';
  // Expanded to its id alone: the API withholds the record (expandReferences).
  if (id && Object.keys(record).length === 1) return unreadableReference(id, context);
  const title = target && context.titleOf ? context.titleOf(target, record) : undefined;
  return { kind: 'reference', id, text: title || shortId(id), ...(target && id && context.recordHref ? { href: context.recordHref(target, id) } : {}) };
}

function userDisplay(value: unknown, context: FormatContext): DisplayValue {
  const words = context.words ?? DEFAULT_WORDS;
  if (typeof value === 'string') return { kind: 'reference', id: value, text: value === context.userId ? words.me : shortId(value) };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return EMPTY;
  const user = value as Readonly<Record<string, unknown>>;
  const id = typeof user.id === 'string' ? user.id : '';
  const name = typeof user.name === 'string' && user.name ? user.name : undefined;
  return { kind: 'reference', id, text: name ?? (id === context.userId ? words.me : shortId(id)) };
}

/** A value read by the kind rules see it as (formula and rollup results, and anything unknown). */
function byValueKind(value: unknown, descriptor: ClientFieldDescriptor, context: FormatContext): DisplayValue {
  const words = context.words ?? DEFAULT_WORDS;
  const scale = typeof descriptor.scale === 'number' ? descriptor.scale : undefined;
  switch (descriptor.valueKind) {
    case 'number':
      // A formula's or rollup's result reads as its type says: money, a percent, a decimal.
      if (descriptor.display === 'currency') return text(formatCurrency(value, context.locale, typeof descriptor.currencyCode === 'string' ? descriptor.currencyCode : undefined, scale) ?? String(value));
      if (descriptor.display === 'percent') return text(formatPercent(value, context.locale, scale) ?? String(value));
      return text(formatNumber(value, context.locale, scale) ?? String(value));
    case 'boolean':
      return text(value ? words.yes : words.no);
    case 'date':
      return text(formatDate(value, context.locale) ?? String(value));
    case 'datetime':
      return text(formatDatetime(value, context.locale) ?? String(value));
    case 'string_array':
      return text(Array.isArray(value) ? value.map(String).join(', ') : String(value));
    case 'json':
      return text(JSON.stringify(value));
    default:
      return text(typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}

/**
 * How a value displays, chosen by the field type's descriptor (widget, then value kind): never by
 * comparing type names. Null, undefined, '' and [] are empty (except a false checkbox, which is "no").
 */
export function formatValue(descriptor: ClientFieldDescriptor, value: unknown, context: FormatContext): DisplayValue {
  const words = context.words ?? DEFAULT_WORDS;
  if (descriptor.widget === 'checkbox') return value === null || value === undefined ? EMPTY : text(value ? words.yes : words.no);
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return EMPTY;
  const scale = typeof descriptor.scale === 'number' ? descriptor.scale : undefined;
  switch (descriptor.widget) {
    case 'email':
      return { kind: 'link', text: String(value), href: `mailto:${String(value)}`, external: false };
    case 'phone':
      return { kind: 'link', text: String(value), href: `tel:${String(value).replace(/[^\d+]/g, '')}`, external: false };
    case 'url': {
      const href = safeUrl(String(value));
      return href ? { kind: 'link', text: String(value), href, external: true } : text(String(value));
    }
    case 'integer':
    case 'decimal':
      return text(formatNumber(value, context.locale, scale) ?? String(value));
    case 'currency':
      return text(formatCurrency(value, context.locale, typeof descriptor.currencyCode === 'string' ? descriptor.currencyCode : undefined, scale) ?? String(value));
    case 'percent':
      return text(formatPercent(value, context.locale, scale) ?? String(value));
    case 'date':
      return text(formatDate(value, context.locale) ?? String(value));
    case 'datetime':
      return text(formatDatetime(value, context.locale) ?? String(value));
    case 'select':
      return { kind: 'options', options: [optionDisplay(descriptor, String(value), context)] };
    case 'multiselect':
      return { kind: 'options', options: (Array.isArray(value) ? value : [value]).map((v) => optionDisplay(descriptor, String(v), context)) };
    case 'lookup':
      return referenceDisplay(value, typeof descriptor.target === 'string' ? descriptor.target : undefined, context);
    case 'user':
      return userDisplay(value, context);
    case 'json':
      return text(JSON.stringify(value));
    default:
      return byValueKind(value, descriptor, context);
  }
}

/** The display as one plain string (exports, titles, aria labels, sorting in memory). */
export function displayText(display: DisplayValue): string {
  switch (display.kind) {
    case 'empty':
      return '';
    case 'options':
      return display.options.map((o) => o.label).join(', ');
    default:
      return display.text;
  }
}
