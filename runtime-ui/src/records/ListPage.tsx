import { Typography } from 'antd';

/** Placeholder until its feature lands. */
export default function ListPage() {
  return <Typography.Title level={3}>ListPage</Typography.Title>;
}
