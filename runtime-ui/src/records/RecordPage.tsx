import { Typography } from 'antd';

/** Placeholder until its feature lands. */
export default function RecordPage() {
  return <Typography.Title level={3}>RecordPage</Typography.Title>;
}
