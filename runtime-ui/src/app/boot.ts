import { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { ClientMetadata } from '@crm/engine/core';
import { discardEarlyResponses, mayBeSignedIn } from '../api/client';
import { fetchMe, ME_KEY } from '../auth/session';
import { currentLocale } from '../i18n/i18n';
import { fetchMetadata, METADATA_KEY } from '../metadata/client-metadata';
import { rememberFirstRows } from './first-rows';
import { LIST_PATH, screenLoader, shell } from './screens';

// The app's first work, evaluated before the rest of its modules (main.tsx imports this first):
// what the first screen waits for starts here, not after antd, the router and the providers
// have evaluated.

export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } },
});

/** How long the first render waits for a list's rows once the metadata is there. */
const ROWS_WAIT_MS = 500;

/**
 * Starts at once, side by side, what the first screen waits for: who is signed in, their
 * metadata (with its rules module), the shell's chunk and the route's screen. Rendered one after
 * the other they were a waterfall of round trips. Without a session cookie only /api/auth/me is
 * asked (the sign-in page needs nothing else); the metadata query is keyed as the Gate's, so the
 * Gate finds it running or done (sign-out loads the app afresh, auth/session.ts).
 */
function startBoot({ pathname, search }: Location): { me: Promise<unknown>; screen: Promise<unknown> } {
  const me = queryClient.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: false });
  if (!mayBeSignedIn()) return { me, screen: Promise.resolve() };
  const listed = LIST_PATH.exec(pathname)?.[1];
  // The list's query building alone (not its screen, whose chunk is far larger), loading while the metadata is asked.
  const listQuery = listed ? import('../records/list/list-query') : undefined;
  let rows: Promise<unknown> = Promise.resolve();
  let rowsAsked: () => void = () => undefined;
  const rowsAskedOrNot = new Promise<void>((done) => (rowsAsked = done));
  // A list's first rows need only the projection and the list's query, not the rules module nor
  // the screen. Their path is remembered for the next visit of the page (first-rows.ts).
  const onProjection = (metadata: ClientMetadata) => {
    // A failure only skips the prefetch (a malformed path, a chunk that did not load: the route reports that).
    if (listed && listQuery)
      rows = listQuery
        .then((module) => {
          const prefetch = module.prefetchListRows(queryClient, metadata, decodeURIComponent(listed), search, currentLocale());
          rowsAsked();
          if (prefetch) rememberFirstRows(pathname + search, prefetch.path);
          return prefetch?.rows;
        })
        .catch(() => undefined)
        .finally(rowsAsked);
  };
  const metadata = queryClient.prefetchQuery({ queryKey: METADATA_KEY, queryFn: () => fetchMetadata(onProjection), staleTime: 30_000, retry: false });
  void metadata.finally(rowsAsked);
  // The screens' chunks take the main thread for a while when they evaluate: on a list, only once
  // its rows are asked for, so that they do not hold back the request. A failed chunk fetch
  // surfaces where the lazy route asks for the same module.
  const asked = listed ? rowsAskedOrNot : Promise.resolve();
  const chunks = asked.then(() => Promise.all([shell.preload(), screenLoader(pathname)?.()]));
  // The first render waits for the rows too (a short while at most), so the list shows them at once.
  const firstRows = metadata.then(() => Promise.race([rows, new Promise((done) => setTimeout(done, ROWS_WAIT_MS))]));
  return { me, screen: Promise.all([chunks, firstRows]).catch(() => undefined) };
}

/**
 * True once the chunks boot started have arrived (or failed): until then the Gate keeps its
 * loading screen, so the shell and the screen render in one go instead of through Suspense
 * fallbacks, whose reveal React throttles.
 */
const boot = startBoot(window.location);
// By then every request of the first screen has been made, and has taken its early answer if any.
void boot.screen.finally(discardEarlyResponses);
let bootChunksLoaded = false;
const bootChunksListeners = new Set<() => void>();
void boot.screen.then(() => {
  bootChunksLoaded = true;
  for (const listener of bootChunksListeners) listener();
});
export function useBootChunksLoaded(): boolean {
  return useSyncExternalStore(
    (listener) => {
      bootChunksListeners.add(listener);
      return () => bootChunksListeners.delete(listener);
    },
    () => bootChunksLoaded,
  );
}

/**
 * Settles once the first screen can render complete: who is signed in is known and, when someone
 * may be, what boot started has arrived (or failed). main.tsx renders the app then, not before:
 * a loading screen rendered meanwhile cost the main thread ~15-50 ms (React and antd setting up
 * twice, the spinner's own work) and, rendered early, held back the list's rows request.
 * index.html's placeholder shows meanwhile.
 */
export const bootReady: Promise<void> = Promise.all([boot.me, boot.screen]).then(() => undefined);
