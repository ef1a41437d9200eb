import { DeleteOutlined, EditOutlined, MoreOutlined, RestOutlined, ShareAltOutlined, SwapOutlined } from '@ant-design/icons';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { Button, Dropdown, Space, Tag, Typography, type MenuProps } from 'antd';
import { useWideScreen } from '../../shell/use-wide-screen';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { FieldValue } from '../../fields/FieldValue';
import { currentLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import { paths } from '../../shell/navigation';
import type { RecordData } from '../record-api';
import { recordTitle } from './record-values';

export type HeaderAction = 'edit' | 'delete' | 'transfer' | 'shares' | 'recycle-bin';

export interface RecordHeaderProps {
  readonly object: ClientObject;
  readonly record: RecordData;
  readonly keyFields: readonly ClientField[];
  /** The actions the user may take (permissions and the approval lock already applied). */
  readonly actions: ReadonlySet<HeaderAction>;
  readonly locked: boolean;
  readonly onAction: (action: Exclude<HeaderAction, 'edit' | 'recycle-bin'>) => void;
}

/** Title, object, owner and key fields; edit and delete as buttons on a desktop, everything in one menu on a phone. */
export function RecordHeader({ object, record, keyFields, actions, locked, onAction }: RecordHeaderProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const phone = !useWideScreen();
  const navigate = useNavigate();
  const owner = object.fields.find((f) => f.name === 'owner_id');

  const menu: MenuProps['items'] = [
    ...(phone && actions.has('delete') ? [{ key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('record.delete') }] : []),
    ...(actions.has('transfer') ? [{ key: 'transfer', icon: <SwapOutlined />, label: t('record.transfer') }] : []),
    ...(actions.has('shares') ? [{ key: 'shares', icon: <ShareAltOutlined />, label: t('record.shares') }] : []),
    ...(actions.has('recycle-bin') ? [{ key: 'recycle-bin', icon: <RestOutlined />, label: <Link to={paths.recycleBin(object.name)}>{t('record.recycleBin')}</Link> }] : []),
  ];

  return (
    <header className="record-header">
      <div className="record-header__main">
        <Typography.Text type="secondary" className="record-header__object">
          <Link to={paths.list(object.name)}>{textOf(object.plural_label ?? object.label, locale, object.name)}</Link>
        </Typography.Text>
        <Typography.Title level={3} className="record-header__title">
          {recordTitle(object, record)}
          {locked && (
            <Tag color="gold" className="record-header__lock">
              {t('record.locked')}
            </Tag>
          )}
        </Typography.Title>
        <dl className="record-header__facts">
          {owner && (
            <div>
              <dt>{textOf(owner.label, locale, t('record.owner'))}</dt>
              <dd>
                <FieldValue object={object} field={owner} value={record.owner_id} record={record} />
              </dd>
            </div>
          )}
          {keyFields.map((field) => (
            <div key={field.name}>
              <dt>{textOf(field.label, locale, field.name)}</dt>
              <dd>
                <FieldValue object={object} field={field} value={record[field.name]} record={record} />
              </dd>
            </div>
          ))}
        </dl>
      </div>
      <Space className="record-header__actions" wrap>
        {actions.has('edit') && (
          <Button type="primary" className="record-touch" icon={<EditOutlined />} onClick={() => void navigate(paths.edit(object.name, record.id))}>
            {t('record.edit')}
          </Button>
        )}
        {!phone && actions.has('delete') && (
          <Button danger className="record-touch" icon={<DeleteOutlined />} onClick={() => onAction('delete')}>
            {t('record.delete')}
          </Button>
        )}
        {menu.length > 0 && (
          <Dropdown
            trigger={['click']}
            rootClassName="record-header__menu"
            menu={{
              items: menu,
              onClick: ({ key }) => {
                if (key === 'delete' || key === 'transfer' || key === 'shares') onAction(key);
              },
            }}
          >
            <Button className="record-touch" icon={<MoreOutlined />} aria-label={t('record.moreActions')}>
              {phone ? null : t('record.more')}
            </Button>
          </Dropdown>
        )}
      </Space>
    </header>
  );
}
