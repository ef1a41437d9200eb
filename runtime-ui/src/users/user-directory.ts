import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/**
 * Users and departments by id, for the screens that show who did something (timeline, shares,
 * approvals) from the ids the API returns. Both lists are small and change rarely, so one
 * cached copy serves every screen.
 */
export interface DirectoryUser {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly active: boolean;
}

export interface Department {
  readonly id: string;
  readonly name: string;
  readonly parent_id?: string | null;
}

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: async () => (await api.get<{ data: DirectoryUser[] }>('/api/users')).data,
    staleTime: 5 * 60_000,
  });
}

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async () => (await api.get<{ data: Department[] }>('/api/departments')).data,
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** A user's name from the directory, or a short id while it loads (or for a user the caller may not list). */
export function userName(users: readonly DirectoryUser[] | undefined, id: string | null | undefined): string {
  if (!id) return '';
  return users?.find((user) => user.id === id)?.name ?? id.slice(0, 8);
}
