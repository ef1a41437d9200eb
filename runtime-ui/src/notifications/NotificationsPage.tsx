import { Typography } from 'antd';

/** Placeholder until its feature lands. */
export default function NotificationsPage() {
  return <Typography.Title level={3}>NotificationsPage</Typography.Title>;
}
