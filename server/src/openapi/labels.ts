import type { I18nText } from '@crm/engine';
import type { SchemaObject } from './types';

/**
 * Labels as schema annotations. OpenAPI has one `title` and one `description`, which tools show
 * as they are: they carry English (the language of the rest of the document), and every
 * language the metadata has goes into `x-crm-label` / `x-crm-help` for clients that localise.
 */

export function englishText(text: I18nText | undefined): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  return text.en ?? Object.values(text)[0];
}

function byLocale(text: I18nText): Readonly<Record<string, string>> {
  return typeof text === 'string' ? { en: text } : (text as Readonly<Record<string, string>>);
}

interface Labelled {
  readonly label?: I18nText;
  readonly help?: I18nText;
  readonly description?: string;
}

/** title, description and the localised extensions of a labelled metadata document. */
export function labelKeywords(document: Labelled): SchemaObject {
  const description = englishText(document.help) ?? document.description;
  return {
    ...(document.label !== undefined ? { title: englishText(document.label), 'x-crm-label': byLocale(document.label) } : {}),
    ...(description ? { description } : {}),
    ...(document.help !== undefined ? { 'x-crm-help': byLocale(document.help) } : {}),
  };
}
