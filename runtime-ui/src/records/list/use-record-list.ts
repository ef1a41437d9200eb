import { infiniteQueryOptions, useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { listRecords, recordKeys, type ListParams, type RecordData, type RecordPage } from '../record-api';

export interface RecordListQuery {
  readonly object: string;
  readonly filter: unknown;
  readonly sort: string;
  readonly q: string;
  readonly fields: readonly string[];
  readonly expand: readonly string[];
  readonly pageSize: number;
}

/** What the list asks the API for one page (`cursor` null: the first, which asks for the total too). */
export function listPageParams(query: RecordListQuery, cursor: string | null): ListParams {
  return {
    limit: query.pageSize,
    cursor,
    fields: query.fields,
    ...(query.expand.length ? { expand: query.expand } : {}),
    ...(query.filter !== undefined ? { filter: query.filter } : {}),
    ...(query.sort ? { sort: query.sort } : {}),
    ...(query.q.trim() ? { q: query.q.trim() } : {}),
    ...(cursor === null ? { count: true } : {}),
  };
}

/** The list's first page and the next ones, as react-query options (the hook's, and the boot's prefetch). */
export function recordListOptions(query: RecordListQuery) {
  return infiniteQueryOptions({
    queryKey: recordKeys.list(query.object, { filter: query.filter, sort: query.sort, q: query.q, fields: query.fields, expand: query.expand }),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => listRecords(query.object, listPageParams(query, pageParam), signal),
    getNextPageParam: (last: RecordPage) => last.next_cursor ?? undefined,
    staleTime: 15_000,
    // Comparing ten thousand loaded records with the previous pages on every new page costs more
    // than it saves: rows are keyed by id and re-render only in view.
    structuralSharing: false,
  });
}

/**
 * The list's rows, a page at a time by keyset cursor (`next_cursor`). Only the first page asks
 * for the total: counting once is enough, and every later page stays a cheap index range read.
 */
export function useRecordList(query: RecordListQuery) {
  const keyText = JSON.stringify([query.object, query.filter, query.sort, query.q, query.fields, query.expand, query.pageSize]);
  // Rebuilt only when what they say changes, so callbacks depending on the key stay stable.
  const options = useMemo(() => recordListOptions(query), [keyText]);
  const key = options.queryKey;
  const result = useInfiniteQuery(options);
  const rows = useMemo(() => result.data?.pages.flatMap((page) => page.data) ?? [], [result.data]);
  const total = result.data?.pages[0]?.total;
  const client = useQueryClient();
  /** Puts a changed record in place in the loaded pages (an inline edit), without reloading them. */
  const replaceRow = useCallback(
    (record: RecordData) => {
      client.setQueryData<InfiniteData<RecordPage, string | null>>(key, (data) =>
        data ? { ...data, pages: data.pages.map((page) => ({ ...page, data: page.data.map((row) => (row.id === record.id ? { ...row, ...record } : row)) })) } : data,
      );
    },
    [client, key],
  );
  return { ...result, rows, total, replaceRow };
}
