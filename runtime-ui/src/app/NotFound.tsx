import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** Loaded with its route: antd's Result carries illustrations the first page does not need. */
export default function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t('app.notFound')} />;
}
