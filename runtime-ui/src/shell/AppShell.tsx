import { CheckSquareOutlined, HomeOutlined, MenuOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { App as AntApp, Badge, Button, Drawer, Dropdown, Layout, Menu, Modal, Typography } from 'antd';
import { lazy, startTransition, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useWideScreen } from './use-wide-screen';
import { afterFirstPaint } from '../app/first-paint';
import { useReturnFocus } from '../app/use-return-focus';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { SignInForm } from '../auth/SignInForm';
import { useMe, useSessionExpired, useSignOut } from '../auth/session';
import { applyLocale, UI_LOCALES, type UiLocale } from '../i18n/i18n';
import { useMetadata } from '../metadata/client-metadata';
import { textOf } from '../metadata/labels';
import { ObjectIcon } from '../metadata/object-icons';
import { ShellBadges, useShellCounts } from './shell-counts';
import { listLinkIntent, warmListWhenIdle } from './list-link-intent';
import { navigableObjects, paths } from './navigation';

// The palette (and the shared core it needs) loads when first opened, not with the shell.
const GlobalSearch = lazy(() => import('../search/GlobalSearch').then((module) => ({ default: module.GlobalSearch })));

const { Header, Sider, Content } = Layout;

/** The navigation: home, approvals, then one entry per object the user may read (its views open from the list). */
function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const { t, i18n } = useTranslation();
  const metadata = useMetadata();
  const location = useLocation();
  const locale = i18n.language as UiLocale;
  const counts = useShellCounts();
  const client = useQueryClient();
  const items = useMemo(
    () => [
      { key: paths.home(), icon: <HomeOutlined />, label: <Link to={paths.home()}>{t('shell.home')}</Link> },
      {
        key: paths.approvals(),
        icon: <CheckSquareOutlined />,
        label: (
          <Link to={paths.approvals()}>
            {t('shell.approvals')} <Badge count={counts.approvals} size="small" offset={[6, -2]} />
          </Link>
        ),
      },
      {
        type: 'group' as const,
        key: 'objects',
        label: t('shell.objects'),
        children: navigableObjects(metadata.objects).map((object) => ({
          key: paths.list(object.name),
          icon: <ObjectIcon name={object.icon} />,
          label: (
            <Link to={paths.list(object.name)} data-object={object.name} {...listLinkIntent(client, metadata, object.name, locale)}>
              {textOf(object.plural_label ?? object.label, locale, object.name)}
            </Link>
          ),
        })),
      },
    ],
    [metadata, locale, t, counts.approvals, client],
  );
  const selected = location.pathname.startsWith('/o/') ? `/o/${location.pathname.split('/')[2] ?? ''}` : location.pathname;
  return <Menu mode="inline" items={items} selectedKeys={[selected]} onClick={() => onNavigate?.()} style={{ borderInlineEnd: 0 }} />;
}

function UserMenu() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'account', label: t('account.menu') },
          { type: 'divider' as const },
          ...UI_LOCALES.map((locale) => ({ key: `lang:${locale}`, label: t(`language.${locale}`), disabled: i18n.language === locale })),
          { type: 'divider' as const },
          { key: 'sign-out', label: t('auth.signOut') },
        ],
        onClick: ({ key }) => {
          if (key === 'account') void navigate(paths.account());
          else if (key.startsWith('lang:')) applyLocale(key.slice(5) as UiLocale);
          else if (key === 'sign-out') void signOut().then(() => navigate('/'));
        },
      }}
    >
      <Button type="text" icon={<UserOutlined />} aria-label={[me.data?.user.name, t('shell.userMenu')].filter(Boolean).join(' · ')} className="shell__touch">
        <span className="shell__user-name">{me.data?.user.name}</span>
      </Button>
    </Dropdown>
  );
}

/** Over the page when the session expired: signing in again keeps every form and draft as it was. */
function SessionExpiredDialog() {
  const { t } = useTranslation();
  const [expired, dismiss] = useSessionExpired();
  const me = useMe();
  const client = useQueryClient();
  return (
    <Modal open={expired} title={t('auth.signIn')} footer={null} closable={false} mask={{ closable: false }} destroyOnHidden>
      <Typography.Paragraph>{t('auth.expired')}</Typography.Paragraph>
      <SignInForm
        email={me.data?.user.email ?? undefined}
        onSignedIn={() => {
          dismiss();
          void client.invalidateQueries();
        }}
      />
    </Modal>
  );
}

/**
 * False for the first render, then true: the menus, badges and dialogs render once the screen's
 * first paint is on screen (app/first-paint.ts; as a transition, which a screen's own update
 * interrupts), so a list's rows wait neither for them nor for the CPU they take.
 */
function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => afterFirstPaint(() => startTransition(() => setPainted(true))), []);
  return painted;
}

export default function AppShell({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  const extras = useAfterFirstPaint();
  useEffect(warmListWhenIdle, []);
  const phone = !useWideScreen();
  const [drawer, setDrawer] = useState(false);
  const drawerFocus = useReturnFocus(phone && drawer);
  const [search, setSearch] = useState(false);
  // Mounted from its first opening on, so closing keeps its animation.
  const [searched, setSearched] = useState(false);
  if (search && !searched) setSearched(true);
  const navigate = useNavigate();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setSearch(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    // antd's App (message, notification, modal hooks for the screens) lives with the shell, not on
    // the sign-in page's first load.
    <AntApp>
    <Layout className="shell">
      {!phone && (
        <Sider width={232} theme="light" className="shell__sider" breakpoint="lg" collapsedWidth={72}>
          <Link to="/" className="shell__brand">
            {t('app.name')}
          </Link>
          <nav aria-label={t('shell.menu')}>{extras && <Navigation />}</nav>
        </Sider>
      )}
      {extras && (
        <Drawer open={phone && drawer} {...drawerFocus} placement="left" size={280} onClose={() => setDrawer(false)} title={t('app.name')} styles={{ body: { padding: 0 } }}>
          <nav aria-label={t('shell.menu')}>
            <Navigation onNavigate={() => setDrawer(false)} />
          </nav>
        </Drawer>
      )}
      <Layout>
        <Header className="shell__header">
          {phone && <Button type="text" icon={<MenuOutlined />} aria-label={t('shell.menu')} onClick={() => setDrawer(true)} className="shell__touch" />}
          <Button className="shell__search shell__touch" icon={<SearchOutlined />} onClick={() => setSearch(true)}>
            <span className="shell__search-hint">{phone ? t('shell.search') : t('shell.searchHint')}</span>
          </Button>
          <div className="shell__actions">
            {extras && (
              <>
                <ShellBadges onOpenNotifications={() => navigate(paths.notifications())} onOpenApprovals={() => navigate(paths.approvals())} />
                <UserMenu />
              </>
            )}
          </div>
        </Header>
        <Content className="shell__content">
          <Suspense fallback={<div className="page-loading">{t('app.loading')}</div>}>{children ?? <Outlet />}</Suspense>
        </Content>
      </Layout>
      {searched && (
        <Suspense fallback={null}>
          <GlobalSearch open={search} onClose={() => setSearch(false)} />
        </Suspense>
      )}
      {extras && <SessionExpiredDialog />}
    </Layout>
    </AntApp>
  );
}
