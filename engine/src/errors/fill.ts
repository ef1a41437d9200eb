import { actionCatalogue, documentKindCatalogue, expectationCatalogue, type Locale } from './catalogue';
import { reasonCatalogue, type ReasonCode } from './reason-catalogue';
import { textIn } from './localized-text';

/** A reason as plain data: a code of the reason catalogue with the values its text needs. */
export interface ReasonData {
  readonly reason: ReasonCode;
  readonly params?: ErrorParams;
}

/**
 * A value filled into a message: a name or number as it is; text per language (a label) in the
 * reader's; a reason rendered from the reason catalogue in the reader's; a list joined the
 * reader's way (`a, b` / `a、b`; under the key `choices`, `a, b or c` / `a、b 或 c`; under the key
 * `problems`, `a; b` / `a；b`).
 */
export type ErrorParam =
  | string
  | number
  | boolean
  | null
  | Readonly<Partial<Record<Locale, string>>>
  | ReasonData
  | readonly ErrorParam[];

/**
 * Params of an error or issue. `reason` and an explicit `summary` are catalogue reasons, not free
 * text, so they render in the reader's language (zh-cn-messages.test.ts refuses a text reason in the source).
 */
export type ErrorParams = Readonly<Record<string, ErrorParam>> & {
  readonly reason?: IssueReason;
  readonly summary?: ReasonData;
};

/** What `params.reason` holds: a catalogue reason, never free text. */
export type IssueReason = ReasonData;

/** What a field or input expected, as named in `type` issues: a key of the expectation catalogue. */
export type Expectation = keyof typeof expectationCatalogue;

function isReasonData(value: object): value is ReasonData {
  return 'reason' in value && typeof (value as { reason: unknown }).reason === 'string';
}

/** A reason's text in a language. */
export function reasonText(data: ReasonData, locale: Locale): string {
  const entry = reasonCatalogue[data.reason] as Readonly<Record<Locale, string>> | undefined;
  return entry ? fillTemplate(entry[locale], data.params, locale) : data.reason;
}

function paramText(key: string, param: ErrorParam, locale: Locale): string {
  if (Array.isArray(param)) {
    const items = param.map((item: ErrorParam) => paramText('', item, locale));
    if (key === 'problems') return items.join(locale === 'zh-CN' ? '；' : '; ');
    if (key !== 'choices' || items.length < 2) return items.join(locale === 'zh-CN' ? '、' : ', ');
    const [last, ...rest] = [items[items.length - 1]!, ...items.slice(0, -1)];
    return locale === 'zh-CN' ? `${rest.join('、')} 或 ${last}` : `${rest.join(', ')} or ${last}`;
  }
  if (param !== null && typeof param === 'object') {
    const object = param as Readonly<Partial<Record<Locale, string>>> | ReasonData;
    return isReasonData(object) ? reasonText(object, locale) : textIn(object as Readonly<Partial<Record<Locale, string>>>, locale);
  }
  const value = String(param);
  if (key === 'action') return actionCatalogue[value]?.[locale] ?? value;
  if (locale !== 'zh-CN') return value;
  if (key === 'expected') return (expectationCatalogue as Readonly<Record<string, string>>)[value] ?? value;
  // A document kind names itself in English as the caller wrote it ('Field', 'approval process').
  if (key === 'kind') return (documentKindCatalogue as Readonly<Record<string, Readonly<Record<Locale, string>>>>)[value.toLowerCase().replace(/ /g, '_')]?.[locale] ?? value;
  return value;
}

/** Fills `{name}` placeholders from params in a language; unknown placeholders stay as they are. */
export function fillTemplate(template: string, params: ErrorParams | undefined, locale: Locale = 'en'): string {
  if (!params) return template;
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    if (!(key in params)) return whole;
    return paramText(key, (params as Readonly<Record<string, ErrorParam>>)[key]!, locale);
  });
}
