import { App as AntApp, ConfigProvider, Result, Button, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { SignInPage } from '../auth/SignInPage';
import { useMe } from '../auth/session';
import { useMetadataQuery } from '../metadata/client-metadata';
import { AppShell } from '../shell/AppShell';

// Each screen loads with its route, so the first page carries only the shell.
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

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t('app.notFound')} />;
}

/** Signed in and the metadata loaded: the shell with its screens. Otherwise the sign-in page. */
function Gate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const metadata = useMetadataQuery(Boolean(me.data));
  if (me.isPending) return <Spin fullscreen description={t('app.loading')} />;
  if (!me.data) return <SignInPage />;
  if (metadata.isPending) return <Spin fullscreen description={t('app.loading')} />;
  if (metadata.isError)
    return (
      <Result
        status="error"
        title={t('app.error')}
        subTitle={metadata.error.message}
        extra={<Button onClick={() => void metadata.refetch()}>{t('app.retry')}</Button>}
      />
    );
  return <>{children}</>;
}

const router = createBrowserRouter([
  {
    path: '/',
    element: (
      <Gate>
        <AppShell />
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
      <AntApp>{children}</AntApp>
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
