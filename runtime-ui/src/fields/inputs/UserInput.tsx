import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { WidgetProps } from './widget-props';

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
export function UserInput({ value, onChange, onBlur, id, readOnly, invalid, label }: WidgetProps) {
  const { t } = useTranslation();
  const users = useUsers();
  const current = typeof value === 'string' && value !== '' ? value : value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : null;
  const options = (users.data ?? [])
    .filter((user) => user.active || user.id === current)
    .map((user) => ({ value: user.id, label: user.email ? `${user.name} · ${user.email}` : user.name }));
  if (current && !options.some((o) => o.value === current)) options.unshift({ value: current, label: current });
  return (
    <Select<string>
      id={id}
      className="field-input__select"
      value={current ?? undefined}
      options={options}
      loading={users.isPending}
      allowClear
      disabled={readOnly}
      placeholder={t('fields.user.search')}
      showSearch={{ optionFilterProp: 'label' }}
      aria-label={id ? undefined : label}
      aria-invalid={invalid || undefined}
      status={invalid ? 'error' : undefined}
      onBlur={onBlur}
      onChange={(next) => onChange(next ?? null)}
    />
  );
}
