import { Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useReturnFocus } from '../app/use-return-focus';

export interface DecisionDialogProps {
  readonly open: boolean;
  readonly title: string;
  /** What the decision is about (a record's title, or "3 requests"). */
  readonly subject: string;
  readonly danger?: boolean;
  readonly commentRequired: boolean;
  readonly okText: string;
  readonly onCancel: () => void;
  /** Resolves when done; a thrown error keeps the dialog open with the server's message. */
  readonly onConfirm: (comment: string) => Promise<void>;
}

/** Approve or reject with a comment; the comment is required where the process says so. */
export function DecisionDialog({ open, title, subject, danger = false, commentRequired, okText, onCancel, onConfirm }: DecisionDialogProps) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const returnFocus = useReturnFocus(open, undefined, 'approval-comment');
  const [error, setError] = useState<string | null>(null);
  const missing = commentRequired && comment.trim() === '';
  const close = () => {
    setComment('');
    setError(null);
    onCancel();
  };
  return (
    <Modal
      open={open}
      {...returnFocus}
      title={title}
      okText={okText}
      cancelText={t('approvals.cancel')}
      okButtonProps={{ danger, disabled: missing, loading: busy }}
      onCancel={close}
      destroyOnHidden
      onOk={async () => {
        setBusy(true);
        setError(null);
        try {
          await onConfirm(comment);
          setComment('');
        } catch (failure) {
          setError(failure instanceof Error ? failure.message : String(failure));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Typography.Paragraph>{subject}</Typography.Paragraph>
      <label className="approvals__comment-label" htmlFor="approval-comment">
        {commentRequired ? t('approvals.commentRequired') : t('approvals.commentOptional')}
      </label>
      <Input.TextArea id="approval-comment" value={comment} onChange={(e) => setComment(e.target.value)} autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} aria-required={commentRequired} />
      {error && (
        <Typography.Paragraph type="danger" role="alert" className="approvals__error">
          {error}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}
