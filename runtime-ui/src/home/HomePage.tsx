import { Typography } from 'antd';

/** Placeholder until its feature lands. */
export default function HomePage() {
  return <Typography.Title level={3}>HomePage</Typography.Title>;
}
