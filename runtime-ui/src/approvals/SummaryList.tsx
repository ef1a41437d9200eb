import type { UseQueryResult } from '@tanstack/react-query';
import { Alert, Empty, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UiLocale } from '../i18n/i18n';
import { dateTime, timeAgo } from '../i18n/when';
import { textOf } from '../metadata/labels';
import type { ApprovalRequestStatus, ApprovalSummary } from '@crm/engine/core';
import { RecordRef } from './RecordRef';

const STATUS_COLOURS: Readonly<Record<ApprovalRequestStatus, string>> = { pending: 'processing', approved: 'success', rejected: 'error', recalled: 'default' };

/** Requests I submitted, or decisions I made: status, where they stand, comments. */
export function SummaryList({ query, which }: { query: UseQueryResult<ApprovalSummary[]>; which: 'submitted' | 'decided' }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  if (query.isPending) return <Skeleton active />;
  if (query.isError) return <Alert type="error" title={query.error.message} />;
  if (query.data.length === 0) return <Empty description={t(which === 'submitted' ? 'approvals.noneSubmitted' : 'approvals.noneDecided')} />;
  return (
    <ul className="approvals__list">
      {query.data.map((item) => (
        <li key={item.decision?.task_id ?? item.request_id} className="approval-item">
          <div className="approval-item__body">
            <RecordRef object={item.object} id={item.record_id} title={item.title} />
            <div className="approval-item__meta">
              <Tag color={STATUS_COLOURS[item.status]}>{t(`approvals.status.${item.status}`)}</Tag>
              {textOf(item.process_label, locale, item.process)}
              {item.status === 'pending' && item.current_step && ` · ${t('approvals.atStep', { step: textOf(item.current_step_label, locale, item.current_step) })}`}
            </div>
            <div className="approval-item__meta">
              {which === 'decided' && item.decision ? (
                <span title={dateTime(item.decision.at, locale)}>
                  {t(item.decision.outcome === 'approved' ? 'approvals.youApproved' : 'approvals.youRejected', { when: timeAgo(item.decision.at, locale), name: item.submitted_by.name })}
                </span>
              ) : (
                <span title={dateTime(item.submitted_at, locale)}>{t('approvals.youSubmitted', { when: timeAgo(item.submitted_at, locale) })}</span>
              )}
              {item.decided_at && which === 'submitted' && <span title={dateTime(item.decided_at, locale)}> · {t('approvals.decidedWhen', { when: timeAgo(item.decided_at, locale) })}</span>}
            </div>
            {(which === 'decided' ? item.decision?.comment : item.comment) && (
              <Typography.Paragraph className="approval-item__comment">“{which === 'decided' ? item.decision?.comment : item.comment}”</Typography.Paragraph>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
