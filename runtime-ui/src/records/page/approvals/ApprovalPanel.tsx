import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApprovalRequestView, ClientObject } from '@crm/engine/core';
import { Alert, Button, Card, Collapse, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApprovalStates } from '../../../approvals/approval-states';
import { currentLocale } from '../../../i18n/i18n';
import { useMetadata } from '../../../metadata/client-metadata';
import { textOf } from '../../../metadata/labels';
import { userName, useUsers } from '../../../users/user-directory';
import { ApprovalDialog, type ApprovalDialogMode } from './ApprovalDialog';
import { approvalKeys, currentStep, hasOpenTask, pendingRequest, recordApprovals } from './approval-api';

export interface ApprovalPanelProps {
  readonly object: ClientObject;
  readonly recordId: string;
  /** Whether the user may edit the record (submitting needs it). */
  readonly canEdit: boolean;
  /** The record's version: whether a submission would apply is asked again when it changes. */
  readonly version?: number;
  /** After an action: the record (locked, field updates applied) and its timeline reload. */
  readonly onChanged: () => void;
}

const STATUS_COLOR: Record<string, string> = { pending: 'processing', approved: 'success', rejected: 'error', recalled: 'default', skipped: 'default', cancelled: 'default', reassigned: 'default' };

/** The record's approval state and history, with the actions the user may take now. */
export function ApprovalPanel({ object, recordId, canEdit, version, onChanged }: ApprovalPanelProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { user } = useMetadata();
  const users = useUsers();
  const client = useQueryClient();
  const approvals = useQuery({ queryKey: approvalKeys.record(object.name, recordId), queryFn: () => recordApprovals(object.name, recordId) });
  const [dialog, setDialog] = useState<ApprovalDialogMode | undefined>();
  const pending = pendingRequest(approvals.data);
  const step = pending && currentStep(pending);
  const mayDecide = pending ? hasOpenTask(pending, user.id) : false;
  // Offered only where the server says a submission would start a request (criteria and a step apply).
  const ids = useMemo(() => [recordId], [recordId]);
  const applies = useApprovalStates(object, ids, version).data?.get(recordId)?.can_submit === true;
  const maySubmit = !pending && canEdit && applies && object.approval_processes.some((p) => p.may_submit);
  const name = (id: string | null) => userName(users.data, id);
  const history = (approvals.data ?? []).filter((request) => request !== pending);
  const latest = pending ? undefined : history[0];

  if (!pending && !maySubmit && history.length === 0) return null;
  return (
    <Card size="small" className="record-section approval-panel" title={t('record.approval.title')}>
      {approvals.isError && <Alert type="error" showIcon title={approvals.error.message} />}
      {pending && (
        <Alert
          type="info"
          showIcon
          className="approval-panel__pending"
          title={t('record.approval.pending', { process: textOf(pending.process_label, locale, pending.process) })}
          description={
            <>
              {step && (
                <div>
                  {t('record.approval.waitingOn', {
                    step: textOf(step.label, locale, step.name),
                    approvers: step.approvers
                      .filter((a) => a.status === 'pending')
                      .map((a) => name(a.user_id))
                      .join(t('record.approval.listSeparator')),
                  })}
                </div>
              )}
              <div>{t('record.approval.submittedBy', { name: name(pending.submitted_by), at: new Date(pending.submitted_at).toLocaleString(locale) })}</div>
              {pending.comment && <Typography.Text italic>“{pending.comment}”</Typography.Text>}
            </>
          }
        />
      )}
      {latest && (
        <div className="approval-panel__latest">
          <Tag color={STATUS_COLOR[latest.status]}>{t(`record.approval.status.${latest.status}`)}</Tag>
          <strong>{textOf(latest.process_label, locale, latest.process)}</strong>
          <Typography.Text type="secondary">
            {' · '}
            {latest.decided_at
              ? t('record.approval.decidedAt', { at: new Date(latest.decided_at).toLocaleString(locale) })
              : t('record.approval.submittedBy', { name: name(latest.submitted_by), at: new Date(latest.submitted_at).toLocaleString(locale) })}
          </Typography.Text>
        </div>
      )}
      <Space wrap className="approval-panel__actions">
        {maySubmit && (
          <Button type="primary" className="record-touch" onClick={() => setDialog('submit')}>
            {t('record.approval.action.submit')}
          </Button>
        )}
        {pending && mayDecide && (
          <>
            <Button type="primary" className="record-touch" onClick={() => setDialog('approve')}>
              {t('record.approval.action.approve')}
            </Button>
            <Button danger className="record-touch" onClick={() => setDialog('reject')}>
              {t('record.approval.action.reject')}
            </Button>
          </>
        )}
        {pending && (mayDecide || user.admin) && (
          <Button className="record-touch" onClick={() => setDialog('reassign')}>
            {t('record.approval.action.reassign')}
          </Button>
        )}
        {pending && (pending.submitted_by === user.id || user.admin) && (
          <Button className="record-touch" onClick={() => setDialog('recall')}>
            {t('record.approval.action.recall')}
          </Button>
        )}
      </Space>
      {history.length > 0 && (
        <Collapse
          ghost
          size="small"
          items={[{ key: 'history', label: t('record.approval.history', { count: history.length }), children: history.map((request) => <RequestSummary key={request.id} request={request} name={name} />) }]}
        />
      )}
      {pending && step && <StepList request={pending} name={name} />}
      {dialog && (
        <ApprovalDialog
          mode={dialog}
          object={object}
          recordId={recordId}
          {...(pending ? { request: pending } : {})}
          {...(dialog === 'reassign' && !mayDecide && step ? { fromUserId: step.approvers.find((a) => a.status === 'pending')?.user_id ?? '' } : {})}
          onClose={() => setDialog(undefined)}
          onDone={() => {
            setDialog(undefined);
            // Every approval query: this record's, the inbox and the shell's badge.
            void client.invalidateQueries({ queryKey: ['approvals'] });
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

function StepList({ request, name }: { request: ApprovalRequestView; name: (id: string | null) => string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <ol className="approval-steps">
      {request.steps.map((step) => (
        <li key={step.name}>
          <Tag color={STATUS_COLOR[step.status]}>{t(`record.approval.stepStatus.${step.status}`)}</Tag>
          <strong>{textOf(step.label, locale, step.name)}</strong>
          <span className="approval-steps__approvers">
            {step.approvers.map((a) => `${name(a.user_id)} (${t(`record.approval.approverStatus.${a.status}`)})`).join(t('record.approval.listSeparator'))}
          </span>
        </li>
      ))}
    </ol>
  );
}

function RequestSummary({ request, name }: { request: ApprovalRequestView; name: (id: string | null) => string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <div className="approval-request">
      <div>
        <Tag color={STATUS_COLOR[request.status]}>{t(`record.approval.status.${request.status}`)}</Tag>
        <strong>{textOf(request.process_label, locale, request.process)}</strong>
      </div>
      <Typography.Text type="secondary">
        {t('record.approval.submittedBy', { name: name(request.submitted_by), at: new Date(request.submitted_at).toLocaleString(locale) })}
        {request.decided_at && ` · ${t('record.approval.decidedAt', { at: new Date(request.decided_at).toLocaleString(locale) })}`}
      </Typography.Text>
      <StepList request={request} name={name} />
    </div>
  );
}
