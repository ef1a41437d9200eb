import { Typography } from 'antd';

/** Placeholder until its feature lands. */
export default function RecordFormPage() {
  return <Typography.Title level={3}>RecordFormPage</Typography.Title>;
}
