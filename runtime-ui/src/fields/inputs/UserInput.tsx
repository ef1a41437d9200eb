import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { pickerProps, referenceValue, withCurrent, type WidgetProps } from './widget-props';

interface UserEntry {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly active: boolean;
}

/** Everyone signed in may list users (GET /api/users: to pick an owner, an assignee); cached for the session. */
export const USERS_KEY = ['users'] as const;
export function useUsers() {
  return useQuery({ queryKey: USERS_KEY, queryFn: async () => (await api.get<{ data: UserEntry[] }>('/api/users')).data, staleTime: 5 * 60_000 });
}

/** A user field: pick an active user by name or email; a current inactive user stays shown. */
export function UserInput(props: WidgetProps) {
  const { value } = props;
  const { t } = useTranslation();
  const users = useUsers();
  const current = referenceValue(value);
  const choices = (users.data ?? [])
    .filter((user) => user.active || user.id === current)
    .map((user) => ({ value: user.id, label: user.email ? `${user.name} · ${user.email}` : user.name }));
  const options = withCurrent(choices, current, current ?? '');
  return (
    <Select<string>
      {...pickerProps(props, current)}
      options={[...options]}
      loading={users.isPending}
      placeholder={t('fields.user.search')}
      showSearch={{ optionFilterProp: 'label' }}
    />
  );
}
