import { Modal } from 'antd';
import { useTranslation } from 'react-i18next';

/** Ctrl/Cmd+K: search records of every searchable object (pinyin too). Filled in by the search feature. */
export function GlobalSearch({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onCancel={onClose} title={t('shell.search')} footer={null} destroyOnHidden>
      {null}
    </Modal>
  );
}
