import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useMetadata } from '../metadata/client-metadata';
import { listRecords } from '../records/record-api';
import { recordTitle } from '../fields/display/display-context';
import { ME } from './filter-tree';

interface UserSummary {
  readonly id: string;
  readonly name: string;
  readonly active?: boolean;
}

/** Every user by name (GET /api/users is open to signed-in users), for user conditions and owner transfer. */
export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => api.get<{ data: UserSummary[] }>('/api/users').then((r) => r.data), staleTime: 60_000 });
}

export interface ReferencePickerProps {
  /** The referenced object, or undefined for a user field. */
  readonly target: string | undefined;
  readonly value: string | undefined;
  readonly onChange: (value: string | undefined) => void;
  readonly allowMe?: boolean;
  readonly id?: string;
  readonly ariaLabel?: string;
}

/** Picks a user, or a record of `target` by server-side search as the user types (never a whole table). */
export function ReferencePicker({ target, value, onChange, allowMe, id, ariaLabel }: ReferencePickerProps) {
  const { t } = useTranslation();
  const metadata = useMetadata();
  const [search, setSearch] = useState('');
  const users = useUsers();
  const records = useQuery({
    queryKey: ['records', target ?? '', 'picker', search],
    queryFn: ({ signal }) => listRecords(target!, { limit: 20, ...(search.trim() ? { q: search.trim() } : {}) }, signal),
    enabled: target !== undefined && metadata.object(target) !== undefined,
    staleTime: 15_000,
  });
  const options = [
    ...(allowMe ? [{ value: ME, label: t('filters.me') }] : []),
    ...(target === undefined
      ? (users.data ?? []).map((user) => ({ value: user.id, label: user.name }))
      : (records.data?.data ?? []).map((record) => ({ value: record.id, label: recordTitle(metadata, target, record) ?? record.id.slice(0, 8) }))),
  ];
  return (
    <Select
      id={id}
      aria-label={ariaLabel}
      showSearch={target === undefined ? { optionFilterProp: 'label' } : { filterOption: false, onSearch: setSearch }}
      value={value}
      onChange={onChange}
      options={options}
      loading={users.isPending || records.isFetching}
      allowClear
      style={{ minWidth: 180, width: '100%' }}
      placeholder={t('filters.choose')}
    />
  );
}
