import { lazy } from 'react';
import { preloadable } from './preloadable';

// The shell (navigation, menus, dialogs) loads once signed in, and each screen with its route, so
// the first page carries only the providers and the sign-in page (tests/ui/bundle-budget.test.ts).
// The shell and the main screens render at once when boot already fetched them (preloadable.ts).
export const shell = preloadable(() => import('../shell/AppShell'));
export const home = preloadable(() => import('../home/HomePage'));
export const list = preloadable(() => import('../records/ListPage'));
export const board = preloadable(() => import('../records/BoardPage'));
export const record = preloadable(() => import('../records/RecordPage'));
export const form = preloadable(() => import('../records/RecordFormPage'));
export const RecycleBinPage = lazy(() => import('../records/recycle-bin/RecycleBinPage'));
export const ApprovalInboxPage = lazy(() => import('../approvals/ApprovalInboxPage'));
export const NotificationsPage = lazy(() => import('../notifications/NotificationsPage'));
export const AccountPage = lazy(() => import('../account/AccountPage'));
export const NotFound = lazy(() => import('./NotFound'));

export const LIST_PATH = /^\/o\/([^/]+)\/?$/;

/** The screen chunk of the main routes, by path (the router's table in App.tsx decides; this only fetches early). */
export function screenLoader(pathname: string): (() => Promise<unknown>) | undefined {
  if (pathname === '/') return home.preload;
  if (LIST_PATH.test(pathname)) return list.preload;
  if (/^\/o\/[^/]+\/board\/[^/]+\/?$/.test(pathname)) return board.preload;
  if (/^\/o\/[^/]+\/(new|[^/]+\/edit)\/?$/.test(pathname)) return form.preload;
  if (/^\/o\/[^/]+\/[^/]+\/?$/.test(pathname) && !pathname.endsWith('/recycle-bin')) return record.preload;
  return undefined;
}
