import { listRecords, type RecordData } from '../../records/record-api';

/** One page of a lookup's search: the records as picker choices and where the next page starts. */
export interface LookupPage {
  readonly choices: readonly { readonly value: string; readonly label: string }[];
  readonly cursor: string | null;
}

export const LOOKUP_PAGE_SIZE = 20;
/** Keystrokes closer together than this make one search. */
export const LOOKUP_DEBOUNCE_MS = 250;

/** A record's title as a picker shows it: its title field, else its id. */
export function recordTitle(record: Readonly<Record<string, unknown>>, titleField: string | undefined): string {
  const title = titleField === undefined ? undefined : record[titleField];
  return title === null || title === undefined || title === '' ? String(record.id) : String(title);
}

/**
 * Searches the target object server-side (its searchable fields, `q`), one page at a time and
 * only its title field: a picker never loads a table.
 */
export async function searchLookup(target: string, titleField: string | undefined, q: string, cursor: string | null, signal?: AbortSignal): Promise<LookupPage> {
  const page = await listRecords(
    target,
    { ...(q.trim() ? { q: q.trim() } : {}), limit: LOOKUP_PAGE_SIZE, fields: titleField ? [titleField] : ['id'], ...(cursor ? { cursor } : {}) },
    signal,
  );
  return { choices: page.data.map((record: RecordData) => ({ value: record.id, label: recordTitle(record, titleField) })), cursor: page.next_cursor ?? null };
}
