import { LRUCache } from 'lru-cache';
import Mustache from 'mustache';
import { reason, type Reason } from '../errors';

/**
 * Email subjects and bodies are Mustache templates over a record's fields: `{{name}}`,
 * `{{account.name}}` (an expanded reference), `{{#tags}}{{.}} {{/tags}}`. Mustache is
 * logic-less, so a template can only read the record, never run code; partials are not offered.
 */

// Its own writer, so the parsed-template cache is bounded and shared with nobody.
const writer = new Mustache.Writer();
(writer as unknown as { templateCache: Pick<LRUCache<string, object>, 'get' | 'set' | 'clear'> }).templateCache = new LRUCache<string, object>({ max: 500 });

const keepAsIs = (value: unknown): string => String(value);

export interface RenderOptions {
  /** HTML body: values are HTML-escaped (`{{{raw}}}` opts out). Plain text (the default): no escaping. */
  readonly html?: boolean;
}

/** Renders a template with a record's values. Pure: the same template and record give the same text. */
export function renderTemplate(template: string, record: Readonly<Record<string, unknown>>, options: RenderOptions = {}): string {
  return writer.render(template, toView(record), {}, options.html ? {} : { escape: keepAsIs });
}

/** Why a template cannot be rendered (an unclosed tag...), or undefined when it can. */
export function templateProblem(template: string): Reason | undefined {
  try {
    writer.parse(template);
    return undefined;
  } catch (error) {
    return mustacheProblem((error as Error).message);
  }
}

/** Mustache's parse errors (English text) as catalogue reasons. */
function mustacheProblem(message: string): Reason {
  const tag = /^Unclosed tag at (\d+)$/.exec(message);
  if (tag) return reason('template_unclosed_tag', { position: Number(tag[1]) });
  const section = /^(Unclosed|Unopened) section "(.*)" at (\d+)$/.exec(message);
  if (section) return reason(section[1] === 'Unclosed' ? 'template_unclosed_section' : 'template_unopened_section', { name: section[2]!, position: Number(section[3]) });
  return reason('template_unreadable');
}

/**
 * The record fields a template reads: the first segment of each name (`{{account.name}}` reads
 * `account`), inside sections too (Mustache looks names up through enclosing contexts); `.` when
 * it renders the whole record. With `topLevelOnly`, only names outside sections, which can only
 * mean the record's fields (inside a section a name may be a property of the section's value).
 * Throws when the template does not parse.
 */
export function templateReads(template: string, options: { readonly topLevelOnly?: boolean } = {}): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (tokens: readonly unknown[][], depth: number): void => {
    for (const token of tokens) {
      const [type, value] = token as [string, string];
      if (type === 'name' || type === '&' || type === '#' || type === '^') {
        if (value !== '.') names.add(value.split('.')[0]!);
        else if (depth === 0) names.add('.');
      }
      if ((type === '#' || type === '^') && Array.isArray(token[4]) && !options.topLevelOnly) visit(token[4] as unknown[][], depth + 1);
    }
  };
  visit(writer.parse(template) as unknown as unknown[][], 0);
  return names;
}

/**
 * A copy of the record as plain JSON data without prototypes: `{{constructor}}` or
 * `{{__proto__}}` find nothing, and nothing in the view is a function Mustache would call.
 */
function toView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toView);
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  const view = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) view[key] = toView(item);
  return view;
}
