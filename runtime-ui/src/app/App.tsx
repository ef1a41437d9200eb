import { Alert, Button, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { mayBeSignedIn } from '../api/client';
import { SignInPage } from '../auth/SignInPage';
import { fetchMe, ME_KEY, useMe } from '../auth/session';
import type { ClientMetadata } from '@crm/engine/core';
import { currentLocale } from '../i18n/i18n';
import { fetchMetadata, METADATA_KEY, useMetadataQuery } from '../metadata/client-metadata';
import { preloadable } from './preloadable';

// The shell (navigation, menus, dialogs) loads once signed in, and each screen with its route, so
// the first page carries only the providers and the sign-in page (tests/ui/bundle-budget.test.ts).
// The shell and the main screens render at once when boot already fetched them (preloadable.ts).
const shell = preloadable(() => import('../shell/AppShell'));
const home = preloadable(() => import('../home/HomePage'));
const list = preloadable(() => import('../records/ListPage'));
const board = preloadable(() => import('../records/BoardPage'));
const record = preloadable(() => import('../records/RecordPage'));
const form = preloadable(() => import('../records/RecordFormPage'));
const AppShell = shell.Component;
const HomePage = home.Component;
const ListPage = list.Component;
const BoardPage = board.Component;
const RecordPage = record.Component;
const RecordFormPage = form.Component;
const RecycleBinPage = lazy(() => import('../records/recycle-bin/RecycleBinPage'));
const ApprovalInboxPage = lazy(() => import('../approvals/ApprovalInboxPage'));
const NotificationsPage = lazy(() => import('../notifications/NotificationsPage'));

export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } },
});

const NotFound = lazy(() => import('./NotFound'));

const LIST_PATH = /^\/o\/([^/]+)\/?$/;
/** How long the first render waits for a list's rows once the metadata is there. */
const ROWS_WAIT_MS = 500;

/** The screen chunk of the main routes, by path (the router's table below decides; this only fetches early). */
function screenLoader(pathname: string): (() => Promise<unknown>) | undefined {
  if (pathname === '/') return home.preload;
  if (LIST_PATH.test(pathname)) return list.preload;
  if (/^\/o\/[^/]+\/board\/[^/]+\/?$/.test(pathname)) return board.preload;
  if (/^\/o\/[^/]+\/(new|[^/]+\/edit)\/?$/.test(pathname)) return form.preload;
  if (/^\/o\/[^/]+\/[^/]+\/?$/.test(pathname) && !pathname.endsWith('/recycle-bin')) return record.preload;
  return undefined;
}

/**
 * Starts at once, side by side, what the first screen waits for: who is signed in, their
 * metadata (with its rules module), the shell's chunk and the route's screen. Rendered one after
 * the other they were a waterfall of round trips. Without a session cookie only /api/auth/me is
 * asked (the sign-in page needs nothing else); the metadata query is keyed as the Gate's, so the
 * Gate finds it running or done, and sign-out clears it with the rest of the cache.
 */
function startBoot({ pathname, search }: Location): Promise<unknown> {
  void queryClient.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: false });
  if (!mayBeSignedIn()) return Promise.resolve();
  const listed = LIST_PATH.exec(pathname)?.[1];
  let rows: Promise<unknown> = Promise.resolve();
  // A list's first rows need only the projection and the list's chunk, not the rules module nor the shell's render.
  const onProjection = (metadata: ClientMetadata) => {
    // A failure only skips the prefetch (a malformed path, a chunk that did not load: the route reports that).
    if (listed)
      rows = list
        .preload()
        .then((module) => module.prefetchListRows(queryClient, metadata, decodeURIComponent(listed), search, currentLocale()))
        .catch(() => undefined);
  };
  const metadata = queryClient.prefetchQuery({ queryKey: METADATA_KEY, queryFn: () => fetchMetadata(onProjection), staleTime: 30_000, retry: false });
  // A failed chunk fetch surfaces where the lazy route asks for the same module.
  const chunks = Promise.all([shell.preload(), screenLoader(pathname)?.()]);
  // The first render waits for the rows too (a short while at most), so the list shows them at once.
  const firstRows = metadata.then(() => Promise.race([rows, new Promise((done) => setTimeout(done, ROWS_WAIT_MS))]));
  return Promise.all([chunks, firstRows]).catch(() => undefined);
}

/**
 * True once the chunks boot started have arrived (or failed): until then the Gate keeps its
 * loading screen, so the shell and the screen render in one go instead of through Suspense
 * fallbacks, whose reveal React throttles.
 */
const bootChunks = startBoot(window.location);
let bootChunksLoaded = false;
const bootChunksListeners = new Set<() => void>();
void bootChunks.then(() => {
  bootChunksLoaded = true;
  for (const listener of bootChunksListeners) listener();
});
function useBootChunksLoaded(): boolean {
  return useSyncExternalStore(
    (listener) => {
      bootChunksListeners.add(listener);
      return () => bootChunksListeners.delete(listener);
    },
    () => bootChunksLoaded,
  );
}

function Loading() {
  const { t } = useTranslation();
  return <Spin fullscreen description={t('app.loading')} />;
}

/** Signed in and the metadata loaded: the shell with its screens. Otherwise the sign-in page. */
function Gate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const metadata = useMetadataQuery(Boolean(me.data));
  const chunksLoaded = useBootChunksLoaded();
  if (me.isPending) return <Loading />;
  if (!me.data) return <SignInPage />;
  if (metadata.isPending || !chunksLoaded) return <Loading />;
  if (metadata.isError)
    return (
      <div className="app-failed">
        <Alert
          type="error"
          showIcon
          title={t('app.error')}
          description={metadata.error.message}
          action={<Button onClick={() => void metadata.refetch()}>{t('app.retry')}</Button>}
        />
      </div>
    );
  return <>{children}</>;
}

const router = createBrowserRouter([
  {
    path: '/',
    element: (
      <Gate>
        <Suspense fallback={<Loading />}>
          <AppShell />
        </Suspense>
      </Gate>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'o/:object', element: <ListPage /> },
      { path: 'o/:object/board/:view', element: <BoardPage /> },
      { path: 'o/:object/new', element: <RecordFormPage /> },
      { path: 'o/:object/recycle-bin', element: <RecycleBinPage /> },
      { path: 'o/:object/:id', element: <RecordPage /> },
      { path: 'o/:object/:id/edit', element: <RecordFormPage /> },
      { path: 'approvals', element: <ApprovalInboxPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

/**
 * antd's secondary, tertiary and placeholder greys, its error red and a lighter primary blue are
 * under the 4.5:1 contrast WCAG AA asks of text (axe in tests/e2e/screens.test.ts); these reach it.
 */
const THEME = {
  zeroRuntime: true,
  token: { colorPrimary: '#1763d6', colorLink: '#1763d6', colorInfo: '#1763d6', colorError: '#cf1322', borderRadius: 6, colorTextDescription: 'rgba(0, 0, 0, 0.6)', colorTextTertiary: 'rgba(0, 0, 0, 0.6)', colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)' },
};

function Localized({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      {children}
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Localized>
        <RouterProvider router={router} />
      </Localized>
    </QueryClientProvider>
  );
}
