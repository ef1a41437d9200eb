import { Typography } from 'antd';

/** Placeholder until its feature lands. */
export default function ApprovalInboxPage() {
  return <Typography.Title level={3}>ApprovalInboxPage</Typography.Title>;
}
