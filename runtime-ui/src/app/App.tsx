import { Alert, Button, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { mayBeSignedIn } from '../api/client';
import { SignInPage } from '../auth/SignInPage';
import { fetchMe, ME_KEY, useMe } from '../auth/session';
import { fetchMetadata, METADATA_KEY, useMetadataQuery } from '../metadata/client-metadata';

// The shell (navigation, menus, dialogs) loads once signed in, and each screen with its route, so
// the first page carries only the providers and the sign-in page (tests/ui/bundle-budget.test.ts).
const loadShell = () => import('../shell/AppShell');
const loadHome = () => import('../home/HomePage');
const loadList = () => import('../records/ListPage');
const loadBoard = () => import('../records/BoardPage');
const loadRecord = () => import('../records/RecordPage');
const loadForm = () => import('../records/RecordFormPage');
const AppShell = lazy(loadShell);
const HomePage = lazy(loadHome);
const ListPage = lazy(loadList);
const BoardPage = lazy(loadBoard);
const RecordPage = lazy(loadRecord);
const RecordFormPage = lazy(loadForm);
const RecycleBinPage = lazy(() => import('../records/recycle-bin/RecycleBinPage'));
const ApprovalInboxPage = lazy(() => import('../approvals/ApprovalInboxPage'));
const NotificationsPage = lazy(() => import('../notifications/NotificationsPage'));

export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } },
});

const NotFound = lazy(() => import('./NotFound'));

/** The screen chunk of the main routes, by path (the router's table below decides; this only fetches early). */
function screenLoader(pathname: string): (() => Promise<unknown>) | undefined {
  if (pathname === '/') return loadHome;
  if (/^\/o\/[^/]+\/?$/.test(pathname)) return loadList;
  if (/^\/o\/[^/]+\/board\/[^/]+\/?$/.test(pathname)) return loadBoard;
  if (/^\/o\/[^/]+\/(new|[^/]+\/edit)\/?$/.test(pathname)) return loadForm;
  if (/^\/o\/[^/]+\/[^/]+\/?$/.test(pathname) && !pathname.endsWith('/recycle-bin')) return loadRecord;
  return undefined;
}

/**
 * Starts at once, side by side, what the first screen waits for: who is signed in, their
 * metadata (with its rules module), the shell's chunk and the route's screen. Rendered one after
 * the other they were a waterfall of round trips. Without a session cookie only /api/auth/me is
 * asked (the sign-in page needs nothing else); the metadata query is keyed as the Gate's, so the
 * Gate finds it running or done, and sign-out clears it with the rest of the cache.
 */
function startBoot(pathname: string): void {
  void queryClient.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: false });
  if (!mayBeSignedIn()) return;
  void queryClient.prefetchQuery({ queryKey: METADATA_KEY, queryFn: fetchMetadata, staleTime: 30_000, retry: false });
  // A failed chunk fetch surfaces where the lazy route asks for the same module.
  for (const load of [loadShell, screenLoader(pathname)]) load?.().catch(() => undefined);
}
startBoot(window.location.pathname);

function Loading() {
  const { t } = useTranslation();
  return <Spin fullscreen description={t('app.loading')} />;
}

/** Signed in and the metadata loaded: the shell with its screens. Otherwise the sign-in page. */
function Gate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const metadata = useMetadataQuery(Boolean(me.data));
  if (me.isPending) return <Loading />;
  if (!me.data) return <SignInPage />;
  if (metadata.isPending) return <Loading />;
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
