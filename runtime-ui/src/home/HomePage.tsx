import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { inboxQuery } from '../approvals/approval-api';
import { RecordRef } from '../approvals/RecordRef';
import type { UiLocale } from '../i18n/i18n';
import { dateTime, timeAgo } from '../i18n/when';
import { useMetadata } from '../metadata/client-metadata';
import { textOf } from '../metadata/labels';
import { paths } from '../shell/navigation';
import { feedObjects, useFeed, type Feed } from './home-feed';
import './home.css';

const WAITING_SHOWN = 5;

/** "My work": approvals waiting on me, my recent records, my records others changed. */
export default function HomePage() {
  const { t } = useTranslation();
  const metadata = useMetadata();
  return (
    <div className="home">
      <Typography.Title level={3} className="home__title">{t('home.greeting', { name: metadata.user.name })}</Typography.Title>
      <div className="home__grid">
        <WaitingCard />
        <FeedCard feed="changed" />
        <FeedCard feed="mine" />
      </div>
    </div>
  );
}

function WaitingCard() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const inbox = useQuery(inboxQuery);
  const tasks = inbox.data ?? [];
  return (
    <Card
      title={t('home.waiting', { count: tasks.length })}
      extra={
        <Link to={paths.approvals()}>
          <Button type="link" className="home__more">{t('home.openInbox')}</Button>
        </Link>
      }
      className="home__card"
    >
      {inbox.isPending ? (
        <Skeleton active />
      ) : inbox.isError ? (
        <Alert type="error" title={inbox.error.message} />
      ) : tasks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.nothingWaiting')} />
      ) : (
        <ul className="home__list">
          {tasks.slice(0, WAITING_SHOWN).map((task) => (
            <li key={task.task_id} className="home__item">
              <RecordRef object={task.object} id={task.record_id} title={task.title} />
              <span className="home__meta">
                {textOf(task.process_label, locale, task.process)} ·{' '}
                <span title={dateTime(task.submitted_at, locale)}>{t('home.submittedBy', { name: task.submitted_by.name, when: timeAgo(task.submitted_at, locale) })}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function FeedCard({ feed }: { feed: Feed }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const metadata = useMetadata();
  const { items, pending, error } = useFeed(feedObjects(metadata.objects), feed);
  return (
    <Card title={t(feed === 'mine' ? 'home.mine' : 'home.changed')} className="home__card">
      {pending && items.length === 0 ? (
        <Skeleton active />
      ) : error ? (
        <Alert type="error" title={error.message} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(feed === 'mine' ? 'home.noneMine' : 'home.noneChanged')} />
      ) : (
        <ul className="home__list">
          {items.map((item) => (
            <li key={`${item.object.name}/${item.record.id}`} className="home__item">
              <RecordRef object={item.object.name} id={item.record.id} title={item.title} />
              <span className="home__meta" title={dateTime(item.updatedAt, locale)}>
                {item.updatedBy && feed === 'changed'
                  ? t('home.changedBy', { name: item.updatedBy, when: timeAgo(item.updatedAt, locale) })
                  : t('home.updated', { when: timeAgo(item.updatedAt, locale) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
