import { BellOutlined, CheckSquareOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';

/**
 * The unread notifications and approvals waiting on the user, for the bell and the inbox badge.
 * Polled every 30 s (and refetched when the window regains focus).
 */
export function useShellCounts(): { notifications: number; approvals: number } {
  const notifications = useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: () => api.get<{ data: unknown[] }>('/api/notifications?unread=true&limit=100'),
    refetchInterval: 30_000,
  });
  const approvals = useQuery({
    queryKey: ['approvals', 'waiting-count'],
    queryFn: () => api.get<{ data: unknown[] }>('/api/approvals/inbox'),
    refetchInterval: 30_000,
  });
  return {
    notifications: notifications.data?.data.length ?? 0,
    approvals: approvals.data?.data.length ?? 0,
  };
}

export function ShellBadges({ onOpenNotifications, onOpenApprovals }: { onOpenNotifications: () => void; onOpenApprovals: () => void }) {
  const { t } = useTranslation();
  const counts = useShellCounts();
  return (
    <>
      <Badge count={counts.approvals} size="small">
        <Button type="text" icon={<CheckSquareOutlined />} aria-label={`${t('shell.approvals')} (${counts.approvals})`} onClick={onOpenApprovals} className="shell__touch" />
      </Badge>
      <Badge count={counts.notifications} size="small">
        <Button type="text" icon={<BellOutlined />} aria-label={`${t('shell.notifications')} (${counts.notifications})`} onClick={onOpenNotifications} className="shell__touch" />
      </Badge>
    </>
  );
}
