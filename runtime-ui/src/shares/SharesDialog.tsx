import { DeleteOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Form, List, Modal, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useReturnFocus } from '../app/use-return-focus';
import { useDepartments, userName, useUsers } from '../users/user-directory';
import { grantShare, listShares, revokeShare, shareKeys, type ShareAccess } from './shares-api';

export interface SharesDialogProps {
  readonly object: string;
  readonly recordId: string;
  readonly open: boolean;
  readonly onClose: () => void;
}

type Grantee = 'user' | 'department';

/**
 * Who a record is shared with; add a user or a department with read or edit access, or stop
 * sharing. Adding and removing are offered only where the server says it would accept them
 * (`can_share`: the user may edit this very record, not only the object); other readers see who
 * has access.
 */
export function SharesDialog({ object, recordId, open, onClose }: SharesDialogProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const returnFocus = useReturnFocus(open);
  const shares = useQuery({ queryKey: shareKeys.record(object, recordId), queryFn: () => listShares(object, recordId), enabled: open });
  const users = useUsers();
  const departments = useDepartments(open);
  const [grantee, setGrantee] = useState<Grantee>('user');
  const [target, setTarget] = useState<string | undefined>();
  const [access, setAccess] = useState<ShareAccess>('read');

  const canShare = shares.data?.can_share === true;
  const refresh = () => client.invalidateQueries({ queryKey: shareKeys.record(object, recordId) });
  // Refused after all (the record left the user's reach meanwhile): say why, and ask again whether sharing is possible.
  const refused = (error: ApiError) => {
    if (error instanceof ApiError && error.status === 403) {
      void message.error(t('shares.refused'));
      void refresh();
    } else void message.error(error.message);
  };
  const grant = useMutation({
    mutationFn: () => grantShare(object, recordId, grantee === 'user' ? { user_id: target!, access } : { department_id: target!, access }),
    onSuccess: () => {
      setTarget(undefined);
      void message.success(t('shares.added'));
      return refresh();
    },
    onError: refused,
  });
  const revoke = useMutation({
    mutationFn: (share: string) => revokeShare(object, recordId, share),
    onSuccess: () => refresh(),
    onError: refused,
  });

  const departmentName = (id: string | null) => departments.data?.find((d) => d.id === id)?.name ?? id?.slice(0, 8) ?? '';
  const options =
    grantee === 'user'
      ? (users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.email ? `${u.name} (${u.email})` : u.name }))
      : (departments.data ?? []).map((d) => ({ value: d.id, label: d.name }));

  return (
    <Modal open={open} {...returnFocus} title={t('shares.title')} onCancel={onClose} footer={<Button onClick={onClose}>{t('shares.close')}</Button>} destroyOnHidden>
      <List
        loading={shares.isPending}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('shares.none')} /> }}
        dataSource={[...(shares.data?.data ?? [])]}
        renderItem={(share) => {
          const who = share.user_id ? userName(users.data, share.user_id) : departmentName(share.department_id);
          return (
            <List.Item
              actions={
                canShare
                  ? [
                      <Button
                        key="remove"
                        type="text"
                        danger
                        className="record-touch"
                        icon={<DeleteOutlined />}
                        aria-label={t('shares.remove', { name: who })}
                        loading={revoke.isPending && revoke.variables === share.id}
                        onClick={() => revoke.mutate(share.id)}
                      />,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                avatar={share.user_id ? <UserOutlined /> : <TeamOutlined />}
                title={who}
                description={share.department_id ? t('shares.departmentAndBelow') : t('shares.grantedBy', { name: userName(users.data, share.granted_by) })}
              />
              <Tag color={share.access === 'edit' ? 'blue' : 'default'}>{t(`shares.access.${share.access}`)}</Tag>
            </List.Item>
          );
        }}
      />
      {canShare ? (
        <Form layout="vertical" onFinish={() => grant.mutate()} style={{ marginTop: 16 }}>
          <Typography.Text strong>{t('shares.add')}</Typography.Text>
          <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
            <Segmented<Grantee>
              block
              value={grantee}
              onChange={(value) => {
                setGrantee(value);
                setTarget(undefined);
              }}
              options={[
                { value: 'user', label: t('shares.user') },
                { value: 'department', label: t('shares.department') },
              ]}
            />
            <Form.Item label={grantee === 'user' ? t('shares.user') : t('shares.department')} htmlFor="share-target" style={{ marginBottom: 0 }}>
              <Select
                id="share-target"
                showSearch={{ optionFilterProp: 'label' }}
                value={target}
                onChange={setTarget}
                options={options}
                placeholder={grantee === 'user' ? t('shares.pickUser') : t('shares.pickDepartment')}
                notFoundContent={t('shares.noMatch')}
              />
            </Form.Item>
            <Form.Item label={t('shares.accessLabel')} htmlFor="share-access" style={{ marginBottom: 0 }}>
              <Select
                id="share-access"
                value={access}
                onChange={setAccess}
                options={[
                  { value: 'read', label: t('shares.access.read') },
                  { value: 'edit', label: t('shares.access.edit') },
                ]}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" disabled={!target} loading={grant.isPending} block>
              {t('shares.share')}
            </Button>
          </Space>
        </Form>
      ) : (
        shares.data && <Typography.Paragraph type="secondary">{t('shares.readOnly')}</Typography.Paragraph>
      )}
    </Modal>
  );
}
