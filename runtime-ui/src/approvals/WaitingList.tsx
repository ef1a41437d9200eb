import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import type { InboxEntry } from '@crm/engine/core';
import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { App, Alert, Button, Checkbox, Empty, Skeleton, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UiLocale } from '../i18n/i18n';
import { dateTime, timeAgo } from '../i18n/when';
import { textOf } from '../metadata/labels';
import { approvalKeys, approveAll, decide, type Decision } from './approval-api';
import { DecisionDialog } from './DecisionDialog';
import { RecordRef } from './RecordRef';

type Pending = { readonly decision: Decision; readonly tasks: readonly InboxEntry[] } | null;

/** The tasks waiting on the user: approve or reject each with a comment, or approve a selection at once. */
export function WaitingList({ query }: { query: UseQueryResult<InboxEntry[]> }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const { message } = App.useApp();
  const client = useQueryClient();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<Pending>(null);
  const tasks = useMemo(() => query.data ?? [], [query.data]);
  const chosen = tasks.filter((task) => selected.has(task.task_id));

  const refresh = async () => {
    setSelected(new Set());
    // The inbox, the other tabs, the shell's badge, and the records whose stage or lock changed.
    await Promise.all([client.invalidateQueries({ queryKey: approvalKeys.all }), client.invalidateQueries({ queryKey: ['records'] }), client.invalidateQueries({ queryKey: ['home'] })]);
  };

  const confirm = async (comment: string) => {
    if (!pending) return;
    if (pending.tasks.length === 1) {
      await decide(pending.tasks[0]!, pending.decision, comment);
      void message.success(t(pending.decision === 'approve' ? 'approvals.approvedOne' : 'approvals.rejectedOne'));
    } else {
      const outcome = await approveAll(pending.tasks, comment);
      if (outcome.failed.length === 0) void message.success(t('approvals.approvedMany', { count: outcome.approved }));
      else void message.warning({ content: t('approvals.approvedSome', { count: outcome.approved, failed: outcome.failed.length, reason: outcome.failed[0]!.message }), duration: 8 });
    }
    setPending(null);
    await refresh();
  };

  if (query.isPending) return <Skeleton active />;
  if (query.isError) return <Alert type="error" title={query.error.message} />;
  if (tasks.length === 0) return <Empty description={t('approvals.nothingWaiting')} />;

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const subject = pending?.tasks.length === 1 ? (pending.tasks[0]!.title ?? t('approvals.thisRequest')) : t('approvals.selectedCount', { count: pending?.tasks.length ?? 0 });

  return (
    <>
      <div className="approvals__batch">
        <Checkbox
          checked={chosen.length === tasks.length}
          indeterminate={chosen.length > 0 && chosen.length < tasks.length}
          onChange={(e) => setSelected(e.target.checked ? new Set(tasks.map((task) => task.task_id)) : new Set())}
        >
          {t('approvals.selectAll')}
        </Checkbox>
        <Button type="primary" icon={<CheckOutlined />} disabled={chosen.length === 0} onClick={() => setPending({ decision: 'approve', tasks: chosen })}>
          {t('approvals.approveSelected', { count: chosen.length })}
        </Button>
      </div>
      <ul className="approvals__list">
        {tasks.map((task) => (
          <li key={task.task_id} className="approval-item">
            <Checkbox className="approval-item__check" checked={selected.has(task.task_id)} onChange={(e) => toggle(task.task_id, e.target.checked)} aria-label={t('approvals.select', { title: task.title ?? '' })} />
            <div className="approval-item__body">
              <RecordRef object={task.object} id={task.record_id} title={task.title} />
              <div className="approval-item__meta">
                {textOf(task.process_label, locale, task.process)} · {textOf(task.step_label, locale, task.step)}
              </div>
              <div className="approval-item__meta">
                <span title={dateTime(task.submitted_at, locale)}>{t('approvals.submittedBy', { name: task.submitted_by.name, when: timeAgo(task.submitted_at, locale) })}</span>
              </div>
              {task.comment && <Typography.Paragraph className="approval-item__comment">“{task.comment}”</Typography.Paragraph>}
            </div>
            <div className="approval-item__actions">
              <Button type="primary" icon={<CheckOutlined />} onClick={() => setPending({ decision: 'approve', tasks: [task] })}>
                {t('approvals.approve')}
              </Button>
              <Button danger icon={<CloseOutlined />} onClick={() => setPending({ decision: 'reject', tasks: [task] })}>
                {t('approvals.reject')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      <DecisionDialog
        open={pending !== null}
        title={pending?.decision === 'reject' ? t('approvals.rejectTitle') : t('approvals.approveTitle')}
        subject={subject}
        danger={pending?.decision === 'reject'}
        commentRequired={pending?.decision === 'reject' && pending.tasks.some((task) => task.reject_needs_comment)}
        okText={pending?.decision === 'reject' ? t('approvals.reject') : t('approvals.approve')}
        onCancel={() => setPending(null)}
        onConfirm={confirm}
      />
    </>
  );
}
