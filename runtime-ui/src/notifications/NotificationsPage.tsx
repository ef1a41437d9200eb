import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import type { Notification } from '@crm/engine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Segmented, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { UiLocale } from '../i18n/i18n';
import { dateTime, timeAgo } from '../i18n/when';
import { useMetadata } from '../metadata/client-metadata';
import { textOf } from '../metadata/labels';
import { paths } from '../shell/navigation';
import { fetchNotifications, markAllRead, markRead, notificationKeys } from './notification-api';
import './notifications.css';

/** The user's notifications, newest first: open one (marks it read, goes to its record), mark read, mark all read. */
export default function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const { message } = App.useApp();
  const metadata = useMetadata();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useQuery({ queryKey: notificationKeys.list(unreadOnly, locale), queryFn: () => fetchNotifications(unreadOnly) });
  const refresh = () => client.invalidateQueries({ queryKey: notificationKeys.all });
  const read = useMutation({ mutationFn: markRead, onSettled: refresh, onError: (error) => void message.error(error.message) });
  const readAll = useMutation({ mutationFn: markAllRead, onSettled: refresh, onError: (error) => void message.error(error.message) });
  const unread = list.data?.filter((n) => n.read_at === null).length ?? 0;

  const open = (notification: Notification) => {
    if (notification.read_at === null) read.mutate(notification.id);
    if (notification.object && notification.record_id && metadata.object(notification.object)) void navigate(paths.record(notification.object, notification.record_id));
  };

  return (
    <div className="notifications">
      <div className="notifications__head">
        <Typography.Title level={3}>{t('notifications.title')}</Typography.Title>
        <Segmented
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(value) => setUnreadOnly(value === 'unread')}
          options={[
            { value: 'all', label: t('notifications.all') },
            { value: 'unread', label: t('notifications.unread') },
          ]}
        />
        <Button icon={<CheckOutlined />} disabled={unread === 0} loading={readAll.isPending} onClick={() => readAll.mutate()}>
          {t('notifications.markAllRead')}
        </Button>
      </div>
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <Alert type="error" title={list.error.message} />
      ) : list.data.length === 0 ? (
        <Empty image={<BellOutlined className="notifications__empty-icon" />} description={t(unreadOnly ? 'notifications.noneUnread' : 'notifications.none')} />
      ) : (
        <ul className="notifications__list">
          {list.data.map((n) => {
            const object = n.object ? metadata.object(n.object) : undefined;
            return (
              <li key={n.id} className={`notification${n.read_at === null ? ' notification--unread' : ''}`}>
                <button type="button" className="notification__open" onClick={() => open(n)}>
                  <span className="notification__title">
                    {n.read_at === null && (
                      <>
                        <span className="notification__dot" aria-hidden="true" />
                        <span className="visually-hidden">{t('notifications.unreadMark')}: </span>
                      </>
                    )}
                    {n.title}
                  </span>
                  {n.body && <span className="notification__body">{n.body}</span>}
                  <span className="notification__meta">
                    <span title={dateTime(n.created_at, locale)}>{timeAgo(n.created_at, locale)}</span>
                    {object && <span> · {textOf(object.label, locale, object.name)}</span>}
                  </span>
                </button>
                {n.read_at === null && (
                  <Button type="text" className="notification__read" icon={<CheckOutlined />} aria-label={t('notifications.markRead', { title: n.title })} onClick={() => read.mutate(n.id)} />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
