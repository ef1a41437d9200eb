import type { Notification } from '@crm/engine/core';
import { api } from '../api/client';

/** GET /api/notifications, POST /api/notifications/:id/read and /read-all (server/src/workflows/routes.ts). */

/**
 * Under ['notifications'], so the shell's unread count refreshes with them. The language is part
 * of the key: the server writes each notification's text per language and answers in the caller's.
 */
export const notificationKeys = {
  all: ['notifications'] as const,
  list: (unread: boolean, locale: string) => ['notifications', 'list', unread, locale] as const,
};

export const LIST_LIMIT = 100;

export const fetchNotifications = (unread: boolean) =>
  api.get<{ data: Notification[] }>(`/api/notifications?limit=${LIST_LIMIT}${unread ? '&unread=true' : ''}`).then((r) => r.data);

/** The unread ones in this language: the shell's bell counts them, the notifications page lists them (one query). */
export const unreadQuery = (locale: string) => ({ queryKey: notificationKeys.list(true, locale), queryFn: () => fetchNotifications(true) });

export const markRead = (id: string) => api.post<Notification>(`/api/notifications/${encodeURIComponent(id)}/read`);

/** Marks all of mine read, also those beyond the list's LIST_LIMIT: one request. */
export const markAllRead = () => api.post<{ marked: number }>('/api/notifications/read-all');
