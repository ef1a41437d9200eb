import type { Notification } from '@crm/engine/core';
import { api } from '../api/client';

/** GET /api/notifications and POST /api/notifications/:id/read (server/src/workflows/routes.ts). */

/** Under ['notifications'], so the shell's unread count refreshes with them. */
export const notificationKeys = {
  all: ['notifications'] as const,
  list: (unread: boolean) => ['notifications', 'list', unread] as const,
};

export const LIST_LIMIT = 100;

export const fetchNotifications = (unread: boolean) =>
  api.get<{ data: Notification[] }>(`/api/notifications?limit=${LIST_LIMIT}${unread ? '&unread=true' : ''}`).then((r) => r.data);

export const markRead = (id: string) => api.post<Notification>(`/api/notifications/${encodeURIComponent(id)}/read`);

/** Marks each unread one read; a handful of requests, as the list holds at most LIST_LIMIT. */
export async function markAllRead(notifications: readonly Notification[]): Promise<void> {
  await Promise.all(notifications.filter((n) => n.read_at === null).map((n) => markRead(n.id)));
}
