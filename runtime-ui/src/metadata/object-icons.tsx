import {
  AimOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CarOutlined,
  CheckCircleOutlined,
  ContactsOutlined,
  CustomerServiceOutlined,
  FileTextOutlined,
  FlagOutlined,
  GiftOutlined,
  GlobalOutlined,
  IdcardOutlined,
  MailOutlined,
  PayCircleOutlined,
  PhoneOutlined,
  ProjectOutlined,
  RocketOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  StarOutlined,
  TagOutlined,
  TeamOutlined,
  ToolOutlined,
  UserOutlined,
} from '@ant-design/icons';

/**
 * The icons an object's `icon` may name (templates and the studio use these names). A name
 * outside the list draws the generic one: metadata never decides which code is loaded.
 */
export const OBJECT_ICONS: Readonly<Record<string, typeof AppstoreOutlined>> = {
  building: BankOutlined,
  store: ShopOutlined,
  user: UserOutlined,
  team: TeamOutlined,
  contact: ContactsOutlined,
  card: IdcardOutlined,
  target: AimOutlined,
  flag: FlagOutlined,
  phone: PhoneOutlined,
  mail: MailOutlined,
  calendar: CalendarOutlined,
  task: CheckCircleOutlined,
  contract: FileTextOutlined,
  approval: AuditOutlined,
  cart: ShoppingCartOutlined,
  payment: PayCircleOutlined,
  product: GiftOutlined,
  service: CustomerServiceOutlined,
  tool: ToolOutlined,
  project: ProjectOutlined,
  campaign: RocketOutlined,
  report: BarChartOutlined,
  tag: TagOutlined,
  star: StarOutlined,
  delivery: CarOutlined,
  global: GlobalOutlined,
};

/** The icon of an object, by the name its metadata gives. */
export function ObjectIcon({ name }: { name: string | undefined }) {
  const Icon = (name !== undefined && Object.hasOwn(OBJECT_ICONS, name) ? OBJECT_ICONS[name] : undefined) ?? AppstoreOutlined;
  return <Icon aria-hidden />;
}
