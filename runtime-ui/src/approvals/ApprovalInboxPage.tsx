import { useQuery } from '@tanstack/react-query';
import { Badge, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { approvalKeys, fetchDecided, fetchSubmitted, inboxQuery } from './approval-api';
import { SummaryList } from './SummaryList';
import { WaitingList } from './WaitingList';
import './approvals.css';

type Tab = 'waiting' | 'submitted' | 'decided';
const TABS: readonly Tab[] = ['waiting', 'submitted', 'decided'];

/** The approval inbox: waiting on me (act on it), submitted by me, decided by me. */
export default function ApprovalInboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((name) => name === params.get('tab')) ?? 'waiting';
  const waiting = useQuery(inboxQuery);
  return (
    <div className="approvals">
      <Typography.Title level={3} className="approvals__title">{t('approvals.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'waiting' ? {} : { tab: key }, { replace: true })}
        items={[
          {
            key: 'waiting',
            label: (
              <span>
                {t('approvals.tabs.waiting')} <Badge count={waiting.data?.length ?? 0} size="small" showZero={false} />
              </span>
            ),
            children: <WaitingList query={waiting} />,
          },
          { key: 'submitted', label: t('approvals.tabs.submitted'), children: <SummaryTab which="submitted" /> },
          { key: 'decided', label: t('approvals.tabs.decided'), children: <SummaryTab which="decided" /> },
        ]}
      />
    </div>
  );
}

function SummaryTab({ which }: { which: 'submitted' | 'decided' }) {
  const query = useQuery({ queryKey: approvalKeys[which], queryFn: which === 'submitted' ? fetchSubmitted : fetchDecided });
  return <SummaryList query={query} which={which} />;
}
