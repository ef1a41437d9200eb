import { useQuery } from '@tanstack/react-query';
import type { ClientObject, ClientText } from '@crm/engine/core';
import { Alert, Empty, Skeleton, Timeline, Typography } from 'antd';
import { Trans, useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n/i18n';
import { useMetadata } from '../metadata/client-metadata';
import { textOf } from '../metadata/labels';
import { approvalKeys, recordApprovals } from '../records/page/approvals/approval-api';
import type { RecordData } from '../records/record-api';
import { referenceId } from '../records/page/record-values';
import { userName, useUsers } from '../users/user-directory';
import { timelineEntries, type TimelineEntry } from './timeline-entries';
import { TimelineValue } from './TimelineValue';
import { fieldHistory, recordNotifications, timelineKeys, workflowLabels, workflowRuns } from './timeline-sources';

export interface ActivityTimelineProps {
  readonly object: ClientObject;
  readonly record: RecordData;
}

/** Everything that happened to a record, newest first: field changes, approvals, workflow runs, notifications. */
export function ActivityTimeline({ object, record }: ActivityTimelineProps) {
  const { t } = useTranslation();
  const metadata = useMetadata();
  const id = record.id;
  const hasApprovals = object.approval_processes.length > 0;
  const history = useQuery({ queryKey: timelineKeys.history(object.name, id), queryFn: () => fieldHistory(object.name, id) });
  const approvals = useQuery({ queryKey: approvalKeys.record(object.name, id), queryFn: () => recordApprovals(object.name, id), enabled: hasApprovals });
  const runs = useQuery({ queryKey: timelineKeys.runs(object.name, id), queryFn: () => workflowRuns(object.name, id), enabled: metadata.user.admin });
  const labels = useQuery({ queryKey: timelineKeys.workflowLabels(object.name), queryFn: () => workflowLabels(object.name), enabled: metadata.user.admin, staleTime: 60_000 });
  const notifications = useQuery({ queryKey: timelineKeys.notifications(object.name, id), queryFn: () => recordNotifications(object.name, id) });
  const users = useUsers();

  if (history.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  const failed = [history, approvals, runs, notifications].find((q) => q.isError);
  const entries = timelineEntries({
    ...(typeof record.created_at === 'string' ? { created: { at: record.created_at, by: referenceId(record.created_by) } } : {}),
    ...(history.data ? { history: history.data } : {}),
    ...(approvals.data ? { approvals: approvals.data } : {}),
    ...(runs.data ? { runs: runs.data } : {}),
    ...(notifications.data ? { notifications: notifications.data } : {}),
  });
  const locale = currentLocale();
  const name = (userId: string | null) => (userId ? userName(users.data, userId) : t('timeline.someone'));

  return (
    <div className="activity-timeline">
      {failed?.error && <Alert type="warning" showIcon title={t('timeline.partial')} description={failed.error.message} style={{ marginBottom: 12 }} />}
      {entries.length === 0 ? (
        <Empty description={t('timeline.empty')} />
      ) : (
        <Timeline
          items={entries.map((entry) => ({
            key: entry.key,
            color: colorOf(entry),
            content: (
              <div className="activity-timeline__entry">
                <div>
                  <EntryText entry={entry} object={object} actor={name(entry.actorId)} nameOf={name} {...(labels.data ? { workflowLabels: labels.data } : {})} />
                </div>
                <Typography.Text type="secondary" className="activity-timeline__time">
                  <time dateTime={entry.at}>{new Date(entry.at).toLocaleString(locale)}</time>
                </Typography.Text>
              </div>
            ),
          }))}
        />
      )}
    </div>
  );
}

interface EntryTextProps {
  readonly entry: TimelineEntry;
  readonly object: ClientObject;
  readonly actor: string;
  readonly nameOf: (id: string | null) => string;
  readonly workflowLabels?: ReadonlyMap<string, ClientText>;
}

/** One entry as a sentence in the user's language, values formatted like everywhere else. */
function EntryText({ entry, object, actor, nameOf, workflowLabels }: EntryTextProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  switch (entry.kind) {
    case 'created':
      return <>{t('timeline.created', { actor })}</>;
    case 'field': {
      const field = object.fields.find((f) => f.name === entry.change.field);
      if (!field) return <>{t('timeline.changedUnknown', { actor, field: entry.change.field })}</>;
      const label = textOf(field.label, locale, field.name);
      return (
        <Trans
          i18nKey="timeline.changed"
          values={{ actor, field: label }}
          components={{
            old: <TimelineValue object={object} field={field} value={entry.change.old_value} />,
            new: <TimelineValue object={object} field={field} value={entry.change.new_value} />,
            b: <strong />,
          }}
        />
      );
    }
    case 'approval': {
      const step = entry.request.steps.find((s) => s.name === entry.step);
      const process = textOf(entry.request.process_label, locale, entry.request.process);
      const stepLabel = step ? textOf(step.label, locale, step.name) : (entry.step ?? '');
      return (
        <>
          {t(`timeline.approval.${entry.action}`, { actor, process, step: stepLabel, to: nameOf(entry.toUserId) })}
          {entry.comment && <Typography.Paragraph className="activity-timeline__comment">{entry.comment}</Typography.Paragraph>}
        </>
      );
    }
    case 'workflow':
      return <>{t(entry.run.outcome === 'failed' ? 'timeline.workflowFailed' : 'timeline.workflowRan', { workflow: textOf(workflowLabels?.get(entry.run.workflow), locale, entry.run.workflow), trigger: t(`timeline.trigger.${entry.run.trigger}`, { defaultValue: entry.run.trigger }) })}</>;
    case 'notification':
      return (
        <>
          {t('timeline.notification', { title: entry.notification.title })}
          {entry.notification.body && <Typography.Paragraph className="activity-timeline__comment">{entry.notification.body}</Typography.Paragraph>}
        </>
      );
  }
}

function colorOf(entry: TimelineEntry): string {
  switch (entry.kind) {
    case 'approval':
      return entry.action === 'rejected' ? 'red' : entry.action === 'approved' ? 'green' : 'blue';
    case 'workflow':
      return entry.run.outcome === 'failed' ? 'red' : 'purple';
    case 'notification':
      return 'orange';
    case 'created':
      return 'green';
    default:
      return 'gray';
  }
}
