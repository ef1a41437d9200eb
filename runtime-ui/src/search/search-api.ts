import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { GLOBAL_SEARCH_MAX_TEXT, type ObjectHits } from '@crm/engine/core';
import { api, query } from '../api/client';

export type { ObjectHits, SearchHit } from '@crm/engine/core';

export const MAX_SEARCH_TEXT = GLOBAL_SEARCH_MAX_TEXT;
export const HITS_PER_OBJECT = 5;
const DEBOUNCE_MS = 200;

export function searchRecords(text: string, signal?: AbortSignal): Promise<readonly ObjectHits[]> {
  return api
    .get<{ data: readonly ObjectHits[] }>(`/api/search${query({ q: text, limit: HITS_PER_OBJECT })}`, signal ? { signal } : {})
    .then((answer) => answer.data);
}

/** `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = DEBOUNCE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The hits for what the user typed, asked for once typing pauses; the previous answer stays until the next one arrives. */
export function useGlobalSearch(typed: string) {
  const text = useDebounced(typed.trim());
  const result = useQuery({
    queryKey: ['search', text],
    queryFn: ({ signal }) => searchRecords(text, signal),
    enabled: text !== '',
    staleTime: 15_000,
    placeholderData: (previous) => previous,
  });
  return { ...result, text, settled: text === typed.trim() };
}
