import { useMutation } from '@tanstack/react-query';
import { App, Form, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { useReturnFocus } from '../../app/use-return-focus';
import { useUsers } from '../../users/user-directory';
import { transferOwner } from './record-actions-api';

export interface OwnerTransferDialogProps {
  readonly object: string;
  readonly recordId: string;
  readonly currentOwner: string | null;
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onDone: () => void;
}

/** Picks a new owner among active users; the server checks the new owner is inside the caller's edit scope. */
export function OwnerTransferDialog({ object, recordId, currentOwner, open, onClose, onDone }: OwnerTransferDialogProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const users = useUsers();
  const [owner, setOwner] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const returnFocus = useReturnFocus(open, undefined, 'transfer-owner');
  const transfer = useMutation({
    mutationFn: (to: string) => transferOwner(object, [recordId], to),
    onSuccess: () => {
      void message.success(t('record.transferDone'));
      setOwner(undefined);
      onDone();
    },
    onError: (error: ApiError) => setProblem(error.fields.find((f) => f.path === 'owner_id')?.message ?? error.message),
  });
  return (
    <Modal
      open={open}
      {...returnFocus}
      title={t('record.transferTitle')}
      okText={t('record.transferOk')}
      cancelText={t('record.cancel')}
      okButtonProps={{ disabled: !owner || owner === currentOwner, loading: transfer.isPending }}
      onOk={() => owner && transfer.mutate(owner)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('record.newOwner')} htmlFor="transfer-owner" validateStatus={problem ? 'error' : ''} help={problem}>
          <Select
            id="transfer-owner"
            showSearch={{ optionFilterProp: 'label' }}
            value={owner}
            onChange={(value) => {
              setOwner(value);
              setProblem(undefined);
            }}
            loading={users.isPending}
            options={(users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.email ? `${u.name} (${u.email})` : u.name }))}
            placeholder={t('record.pickOwner')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
