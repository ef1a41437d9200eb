import { useMutation } from '@tanstack/react-query';
import type { ApprovalRequestView, ClientObject } from '@crm/engine/core';
import { Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { currentLocale } from '../../../i18n/i18n';
import { textOf } from '../../../metadata/labels';
import { useUsers } from '../../../users/user-directory';
import { decide, submitForApproval, type Decision } from './approval-api';

export type ApprovalDialogMode = 'submit' | Decision;

export interface ApprovalDialogProps {
  readonly mode: ApprovalDialogMode;
  readonly object: ClientObject;
  readonly recordId: string;
  /** The pending request a decision is about (absent for submit). */
  readonly request?: ApprovalRequestView;
  /** Whose task a reassignment hands over (an administrator's pick; absent: the caller's own). */
  readonly fromUserId?: string;
  readonly onClose: () => void;
  readonly onDone: () => void;
}

/**
 * One dialog for submitting and deciding: the process to use (submit, when several apply), who
 * takes a task over (reassign), and a comment. The server says when a comment is required (a
 * step's `require_comment_on_reject`), and its issue shows on the comment.
 */
export function ApprovalDialog({ mode, object, recordId, request, fromUserId, onClose, onDone }: ApprovalDialogProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const users = useUsers();
  const processes = object.approval_processes.filter((p) => p.may_submit);
  const [process, setProcess] = useState<string | undefined>(processes[0]?.name);
  const [toUser, setToUser] = useState<string | undefined>();
  const [comment, setComment] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | undefined>();

  const run = useMutation({
    mutationFn: () => {
      const text = comment.trim() ? { comment: comment.trim() } : {};
      if (mode === 'submit') return submitForApproval(object.name, recordId, { ...(process ? { process } : {}), ...text });
      return decide(request!.id, mode, {
        ...text,
        ...((mode === 'approve' || mode === 'reject') && request?.current_step ? { step: request.current_step } : {}),
        ...(mode === 'reassign' ? { to_user_id: toUser!, ...(fromUserId ? { from_user_id: fromUserId } : {}) } : {}),
      });
    },
    onSuccess: () => onDone(),
    onError: (error: Error) => {
      if (error instanceof ApiError && error.fields.length) {
        setIssues(Object.fromEntries(error.fields.map((f) => [f.path, f.message])));
        const elsewhere = error.fields.filter((f) => !['comment', 'to_user_id', 'process'].includes(f.path));
        setProblem(elsewhere.length ? elsewhere.map((f) => f.message).join(' ') || error.message : undefined);
      } else {
        setIssues({});
        setProblem(error.message);
      }
    },
  });

  const status = (path: string) => (issues[path] ? { validateStatus: 'error' as const, help: issues[path] } : {});
  return (
    <Modal
      open
      title={t(`record.approval.dialog.${mode}`)}
      okText={t(`record.approval.action.${mode}`)}
      cancelText={t('record.cancel')}
      okButtonProps={{ loading: run.isPending, disabled: mode === 'reassign' && !toUser, danger: mode === 'reject' }}
      onOk={() => run.mutate()}
      onCancel={onClose}
    >
      <Form layout="vertical">
        {mode === 'submit' && processes.length > 1 && (
          <Form.Item label={t('record.approval.process')} htmlFor="approval-process" {...status('process')}>
            <Select id="approval-process" value={process} onChange={setProcess} options={processes.map((p) => ({ value: p.name, label: textOf(p.label, locale, p.name) }))} />
          </Form.Item>
        )}
        {mode === 'submit' && processes.length === 1 && <p>{textOf(processes[0]!.label, locale, processes[0]!.name)}</p>}
        {mode === 'reassign' && (
          <Form.Item label={t('record.approval.reassignTo')} htmlFor="approval-to" required {...status('to_user_id')}>
            <Select
              id="approval-to"
              autoFocus
              showSearch={{ optionFilterProp: 'label' }}
              value={toUser}
              onChange={setToUser}
              options={(users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        )}
        <Form.Item label={t('record.approval.comment')} htmlFor="approval-comment" {...status('comment')}>
          {/* Mounted with the dialog: open on the comment (the person to hand over to, when reassigning), not on the dialog's X. */}
          <Input.TextArea id="approval-comment" autoFocus={mode !== 'reassign'} rows={3} maxLength={4000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Form.Item>
        {problem && (
          <div className="detail-field__error" role="alert">
            {problem}
          </div>
        )}
      </Form>
    </Modal>
  );
}
