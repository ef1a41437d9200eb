import { Alert, Button, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { SignInPage } from '../auth/SignInPage';
import { useMe } from '../auth/session';
import { useMetadataQuery } from '../metadata/client-metadata';

// The shell (navigation, menus, dialogs) loads once signed in, and each screen with its route, so
// the first page carries only the providers and the sign-in page (tests/ui/bundle-budget.test.ts).
const AppShell = lazy(() => import('../shell/AppShell'));
const HomePage = lazy(() => import('../home/HomePage'));
const ListPage = lazy(() => import('../records/ListPage'));
const BoardPage = lazy(() => import('../records/BoardPage'));
const RecordPage = lazy(() => import('../records/RecordPage'));
const RecordFormPage = lazy(() => import('../records/RecordFormPage'));
const RecycleBinPage = lazy(() => import('../records/recycle-bin/RecycleBinPage'));
const ApprovalInboxPage = lazy(() => import('../approvals/ApprovalInboxPage'));
const NotificationsPage = lazy(() => import('../notifications/NotificationsPage'));

export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } },
});

const NotFound = lazy(() => import('./NotFound'));

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

function Localized({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1f6feb', borderRadius: 6 } }}>
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
