import { LRUCache } from 'lru-cache';
import Mustache from 'mustache';
import { reason, type Reason } from '../errors';

/**
 * Email subjects and bodies are Mustache templates over a record's fields: `{{name}}`,
 * `{{account.name}}` (an expanded reference), `{{#tags}}{{.}} {{/tags}}`. Mustache is
 * logic-less, so a template can only read the record, never run code; partials are not offered.
 */

const keepAsIs = (value: unknown): string => String(value);

/** How a record field's value reads in the text (absent or undefined: the value as stored). */
export type FieldText = (field: string, value: unknown) => string | undefined;

export interface RenderOptions {
  /** HTML body: values are HTML-escaped (`{{{raw}}}` opts out). Plain text (the default): no escaping. */
  readonly html?: boolean;
  /** Writes `{{field}}` of the record as the UIs show it (valueText); sections still see the stored values. */
  readonly fieldText?: FieldText;
}

/** The record's context: it carries how its fields read. */
class RecordContext extends Mustache.Context {
  constructor(
    view: unknown,
    readonly fieldText: FieldText | undefined,
  ) {
    super(view);
  }
}

type Token = string[];

/**
 * A `{{name}}` that Mustache finds on the record itself (not on a section's item) is written by
 * `fieldText`, so `{{amount}}` reads "¥38,000.00" while `{{#is_vip}}` and `{{#tags}}{{.}}{{/tags}}`
 * keep testing and iterating the stored values.
 */
class RecordWriter extends Mustache.Writer {
  #fieldText(token: Token, context: Mustache.Context): string | undefined {
    const name = token[1]!;
    let holder: Mustache.Context | undefined = context;
    while (holder && !(holder instanceof RecordContext) && !ownsName(holder.view, name)) holder = holder.parent;
    if (!(holder instanceof RecordContext) || !holder.fieldText || !ownsName(holder.view, name)) return undefined;
    const value = (holder.view as Record<string, unknown>)[name];
    return value === null || value === undefined ? undefined : holder.fieldText(name, value);
  }

  override escapedValue(token: Token, context: Mustache.Context, config?: Mustache.RenderOptions): string {
    const text = this.#fieldText(token, context);
    return text === undefined ? super.escapedValue(token, context, config) : (config?.escape ?? Mustache.escape)(text);
  }

  override unescapedValue(token: Token, context: Mustache.Context): string {
    return this.#fieldText(token, context) ?? super.unescapedValue(token, context);
  }
}

function ownsName(view: unknown, name: string): boolean {
  return view !== null && typeof view === 'object' && Object.prototype.hasOwnProperty.call(view, name);
}

// Its own writer, so the parsed-template cache is bounded and shared with nobody.
const writer = new RecordWriter();
(writer as unknown as { templateCache: Pick<LRUCache<string, object>, 'get' | 'set' | 'clear'> }).templateCache = new LRUCache<string, object>({ max: 500 });

/** Renders a template with a record's values. Pure: the same template, record and options give the same text. */
export function renderTemplate(template: string, record: Readonly<Record<string, unknown>>, options: RenderOptions = {}): string {
  return writer.render(template, new RecordContext(toView(record), options.fieldText), {}, options.html ? {} : { escape: keepAsIs });
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
