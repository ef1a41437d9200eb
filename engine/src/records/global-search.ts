import { GLOBAL_SEARCH_MAX_TEXT, type ObjectHits, type SearchHit } from '../core/search-hits';
import type { CompiledObject } from '../metadata/compiled';
import type { ObjectAccess } from '../security/actor-access';
import { CrmError, reason } from '../errors';
import type { ListOptions, ListResult } from './list-query';

/**
 * Global search (the UIs' Ctrl/Cmd+K): one text over every object the actor may read whose
 * records take part (the object's `searchable`, unset meaning yes) and that has a searched field
 * the actor may see. Each object is searched through its list, with its text search (pinyin keys
 * included, see search.ts), its record scope and its hidden fields: the same records the object's
 * own list would return for `q`, the first few of each, newest first.
 */

export { GLOBAL_SEARCH_MAX_TEXT, type ObjectHits, type SearchHit };

export interface GlobalSearchOptions {
  /** Hits per object: 1-20, default 5. */
  readonly limit?: number;
}

export const GLOBAL_SEARCH_MAX_LIMIT = 20;
export const GLOBAL_SEARCH_DEFAULT_LIMIT = 5;

/** The fields a hit is made of, as the actor may see them; undefined: the object is not searched for them. */
function hitFields(object: CompiledObject, access: ObjectAccess): { title: string; subtitle?: string } | undefined {
  if (object.definition.searchable === false || !access.may('read')) return undefined;
  const searched = object.searchColumns.filter((c) => !access.hidden.has(c));
  if (searched.length === 0) return undefined;
  const titleField = object.definition.title_field;
  const title = titleField !== undefined && object.fieldsByName.has(titleField) && !access.hidden.has(titleField) ? titleField : searched[0]!;
  const subtitle = searched.find((c) => c !== title);
  return subtitle === undefined ? { title } : { title, subtitle };
}

export function checkGlobalSearch(text: unknown, options: GlobalSearchOptions): { text: string; limit: number } {
  const limit = options.limit ?? GLOBAL_SEARCH_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > GLOBAL_SEARCH_MAX_LIMIT) {
    throw new CrmError('validation_failed', {}, [{ path: 'limit', code: 'invalid', params: { reason: reason('must_be_whole_number_range', { min: 1, max: GLOBAL_SEARCH_MAX_LIMIT }) } }]);
  }
  if (typeof text !== 'string' || text.trim() === '') throw new CrmError('validation_failed', {}, [{ path: 'q', code: 'required' }]);
  if ([...text].length > GLOBAL_SEARCH_MAX_TEXT) throw new CrmError('validation_failed', {}, [{ path: 'q', code: 'max_length', params: { limit: GLOBAL_SEARCH_MAX_TEXT } }]);
  return { text: text.trim(), limit };
}

/** Text of a stored value for a hit: strings as they are, anything else (an autonumber's number) as text. */
function textOf(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

export async function searchObjects(
  objects: readonly { readonly object: CompiledObject; readonly access: ObjectAccess }[],
  text: string,
  limit: number,
  list: (object: string, options: ListOptions) => Promise<ListResult>,
): Promise<ObjectHits[]> {
  const answers: ObjectHits[] = [];
  // One after another: PGlite has one connection, and a pool is better left to other requests.
  for (const { object, access } of objects) {
    const fields = hitFields(object, access);
    if (!fields) continue;
    const page = await list(object.name, { search: text, limit, fields: fields.subtitle ? [fields.title, fields.subtitle] : [fields.title] });
    if (page.data.length === 0) continue;
    answers.push({
      object: object.name,
      hits: page.data.map((record) => {
        const subtitle = fields.subtitle === undefined ? undefined : textOf(record[fields.subtitle]);
        return { id: String(record.id), title: textOf(record[fields.title]) ?? String(record.id), ...(subtitle === undefined ? {} : { subtitle }) };
      }),
    });
  }
  return answers;
}
