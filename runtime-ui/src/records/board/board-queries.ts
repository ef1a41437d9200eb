import { useInfiniteQuery, useQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, query } from '../../api/client';
import { listRecords, recordKeys, updateRecord, type RecordData, type RecordPage } from '../record-api';
import { cardSelection, columnFilter, sortParam, type BoardModel } from './board-model';

/** Cards per page of a column: a screenful and some; the rest load as the column scrolls. */
export const COLUMN_PAGE = 30;

export interface GroupTotal {
  readonly key: string | null;
  readonly count: number;
  readonly sum?: string | null;
}

export const boardKeys = {
  column: (object: string, view: string, value: string) => recordKeys.list(object, { board: view, column: value }),
  totals: (object: string, view: string) => ['records', object, 'groups', view] as const,
};

/** One column's cards, a keyset page at a time. */
export function useColumnCards(object: string, model: BoardModel, value: string) {
  return useInfiniteQuery({
    queryKey: boardKeys.column(object, model.view.name, value),
    queryFn: ({ pageParam, signal }) =>
      listRecords(
        object,
        // No `expand=` without references to expand: the API refuses an empty list.
        { filter: columnFilter(model.view, value), sort: sortParam(model.view), limit: COLUMN_PAGE, cursor: pageParam, fields: cardSelection(model), ...(model.expand.length ? { expand: model.expand } : {}) },
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
}

/** Count (and sum) per column, one grouped query for the whole board. */
export function useBoardTotals(object: string, model: BoardModel) {
  return useQuery({
    queryKey: boardKeys.totals(object, model.view.name),
    queryFn: ({ signal }) =>
      api.get<{ data: GroupTotal[] }>(
        `/api/records/${encodeURIComponent(object)}/groups` + query({ group_by: model.group.name, sum: model.sumField?.name, filter: model.view.filter as object | undefined }),
        { signal },
      ),
    select: (result) => new Map(result.data.map((g) => [g.key, g])),
  });
}

type Pages = InfiniteData<RecordPage, string | null>;

function withoutCard(pages: Pages | undefined, id: string): Pages | undefined {
  return pages && { ...pages, pages: pages.pages.map((p) => ({ ...p, data: p.data.filter((r) => r.id !== id) })) };
}

function withCardFirst(pages: Pages | undefined, card: RecordData): Pages | undefined {
  if (!pages || pages.pages.length === 0) return pages;
  const [first, ...rest] = pages.pages;
  return { ...pages, pages: [{ ...first!, data: [card, ...first!.data.filter((r) => r.id !== card.id)] }, ...rest] };
}

/**
 * Moves a card to another column: shown there at once, then PATCHed with If-Match. A refusal
 * (a rule, an approval lock, a newer version, no edit right) puts the card back and throws the
 * server's error for the caller to show.
 */
export async function moveCard(client: QueryClient, object: string, model: BoardModel, card: RecordData, from: string, to: string): Promise<void> {
  const fromKey = boardKeys.column(object, model.view.name, from);
  const toKey = boardKeys.column(object, model.view.name, to);
  await Promise.all([client.cancelQueries({ queryKey: fromKey }), client.cancelQueries({ queryKey: toKey })]);
  const before = { from: client.getQueryData<Pages>(fromKey), to: client.getQueryData<Pages>(toKey) };
  client.setQueryData<Pages>(fromKey, (pages) => withoutCard(pages, card.id));
  client.setQueryData<Pages>(toKey, (pages) => withCardFirst(pages, { ...card, [model.group.name]: to }));
  try {
    const saved = await updateRecord(object, card.id, card.version, { [model.group.name]: to });
    // The saved record, keeping the card's expanded references (the PATCH answers ids).
    const expanded = Object.fromEntries(model.expand.filter((name) => saved[name] === (card[name] as { id?: unknown } | null)?.id).map((name) => [name, card[name]]));
    client.setQueryData<Pages>(toKey, (pages) => withCardFirst(pages, { ...card, ...saved, ...expanded }));
  } catch (error) {
    client.setQueryData(fromKey, before.from);
    client.setQueryData(toKey, before.to);
    // A newer version elsewhere: the next read shows it.
    if (error instanceof ApiError && error.status === 412) void client.invalidateQueries({ queryKey: fromKey });
    throw error;
  } finally {
    void client.invalidateQueries({ queryKey: boardKeys.totals(object, model.view.name) });
  }
}
