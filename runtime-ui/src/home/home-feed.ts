import type { ClientObject } from '@crm/engine/core';
import { useQueries } from '@tanstack/react-query';
import { listRecords, recordKeys, type RecordData } from '../records/record-api';

/** A record on the home page: which object, its title, when and by whom it last changed. */
export interface FeedItem {
  readonly object: ClientObject;
  readonly record: RecordData;
  readonly title: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
}

export type Feed = 'mine' | 'changed';

/** Per object, this many of the newest; the merged feed keeps the newest of all. */
const PER_OBJECT = 8;
export const FEED_SIZE = 8;
/** Objects read for the feed: a home page should not fan out to every object of a large model. */
const MAX_OBJECTS = 12;

const ME = { var: '$user.id' };

/**
 * The records I own, newest change first; `changed`: those someone else changed last. Read per
 * object through the list API (owner filter, `-updated_at`, a few each: the owner index serves
 * it), so each object keeps the user's visibility and hidden fields.
 */
function feedFilter(feed: Feed): unknown {
  const mine = { '==': [{ var: 'owner_id' }, ME] };
  return feed === 'mine' ? mine : { and: [mine, { '!=': [{ var: 'updated_by' }, ME] }] };
}

export function feedObjects(objects: readonly ClientObject[]): readonly ClientObject[] {
  return objects.filter((o) => o.permissions.read && o.fields.some((f) => f.name === 'owner_id') && o.fields.some((f) => f.name === 'updated_at')).slice(0, MAX_OBJECTS);
}

export function useFeed(objects: readonly ClientObject[], feed: Feed): { items: FeedItem[]; pending: boolean; error: Error | null } {
  const results = useQueries({
    queries: objects.map((object) => {
      const fields = ['updated_at', ...(object.fields.some((f) => f.name === 'updated_by') ? ['updated_by'] : []), ...(object.title_field && object.fields.some((f) => f.name === object.title_field) ? [object.title_field] : [])];
      const params = { filter: feedFilter(feed), sort: '-updated_at', limit: PER_OBJECT, fields, expand: fields.includes('updated_by') ? ['updated_by'] : [] };
      return { queryKey: recordKeys.list(object.name, { home: feed }), queryFn: ({ signal }: { signal: AbortSignal }) => listRecords(object.name, params, signal) };
    }),
  });
  const items: FeedItem[] = [];
  results.forEach((result, index) => {
    const object = objects[index]!;
    for (const record of result.data?.data ?? []) {
      const title = object.title_field ? record[object.title_field] : null;
      const by = record.updated_by as { name?: unknown } | string | null | undefined;
      items.push({
        object,
        record,
        title: title === null || title === undefined ? null : String(title),
        updatedAt: String(record.updated_at),
        updatedBy: by && typeof by === 'object' && typeof by.name === 'string' ? by.name : null,
      });
    }
  });
  items.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  return { items: items.slice(0, FEED_SIZE), pending: results.some((r) => r.isPending), error: results.find((r) => r.error)?.error ?? null };
}
