import { BellOutlined, CheckSquareOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { inboxQuery } from '../approvals/approval-api';
import { unreadQuery } from '../notifications/notification-api';

/**
 * The unread notifications and approvals waiting on the user, for the bell and the inbox badge.
 * Polled every 30 s (and refetched when the window regains focus); the same queries as the inbox
 * and the notifications page, so each answer is fetched once.
 */
export function useShellCounts(): { notifications: number; approvals: number } {
  const { i18n } = useTranslation();
  const notifications = useQuery({ ...unreadQuery(i18n.language), refetchInterval: 30_000 });
  const approvals = useQuery({ ...inboxQuery, refetchInterval: 30_000 });
  return {
    notifications: notifications.data?.length ?? 0,
    approvals: approvals.data?.length ?? 0,
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
