import { Alert, Button, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { SignInPage } from '../auth/SignInPage';
import { useMe } from '../auth/session';
import { useMetadataQuery } from '../metadata/client-metadata';
import { queryClient, useBootChunksLoaded } from './boot';
import { AccountPage, ApprovalInboxPage, board, form, home, list, NotFound, NotificationsPage, record, RecycleBinPage, shell } from './screens';

const AppShell = shell.Component;
const HomePage = home.Component;
const ListPage = list.Component;
const BoardPage = board.Component;
const RecordPage = record.Component;
const RecordFormPage = form.Component;

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
      { path: 'account', element: <AccountPage /> },
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
