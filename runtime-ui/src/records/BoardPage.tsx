import { Typography } from 'antd';

/** Placeholder until its feature lands. */
export default function BoardPage() {
  return <Typography.Title level={3}>BoardPage</Typography.Title>;
}
