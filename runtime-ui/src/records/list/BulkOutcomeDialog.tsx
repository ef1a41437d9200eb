import { List, Modal, Typography } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useReturnFocus } from '../../app/use-return-focus';
import { failureText } from '../refusal';
import type { BulkOutcome } from './bulk-actions';

/** A bulk action that did not go through for every record: what to list, and where focus goes after. */
export interface ShownOutcome {
  readonly title: string;
  readonly result: BulkOutcome;
  /** The selected records' titles when the action ran: a failed record is named even once it is no longer loaded. */
  readonly names: ReadonlyMap<string, string>;
  /** The bar's button that started the action. */
  readonly returnTo: HTMLElement | null;
}

/**
 * The per-record failures of the last bulk action. The list holds it, not the selection bar: the
 * bar goes when no failed record is left among the loaded rows, and the outcome must not go with it.
 */
export function BulkOutcomeDialog({ outcome, onClose, focusAfter }: { outcome: ShownOutcome | undefined; onClose: () => void; focusAfter: () => HTMLElement | null }) {
  const { t } = useTranslation();
  // Kept past the closing, when `outcome` is already gone and focus is given back.
  const returnTo = useRef<HTMLElement | null>(null);
  if (outcome) returnTo.current = outcome.returnTo;
  const focus = useReturnFocus(outcome !== undefined, () => (returnTo.current?.isConnected ? returnTo.current : focusAfter()));
  return (
    <Modal open={outcome !== undefined} {...focus} title={outcome?.title} footer={null} onCancel={onClose}>
      {outcome && (
        <>
          <Typography.Paragraph>{t('list.bulk.outcome', { done: outcome.result.done, failed: outcome.result.failures.length })}</Typography.Paragraph>
          <List
            size="small"
            dataSource={[...outcome.result.failures]}
            renderItem={(failure) => (
              <List.Item>
                <List.Item.Meta title={failure.id ? (outcome.names.get(failure.id) ?? failure.id) : t('list.bulk.all')} description={failureText(failure, t)} />
              </List.Item>
            )}
          />
        </>
      )}
    </Modal>
  );
}
