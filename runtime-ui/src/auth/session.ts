import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiError, onUnauthenticated } from '../api/client';
import { forgetFirstRows } from '../app/first-rows';

export interface Me {
  readonly user: { readonly id: string; readonly name: string; readonly email: string | null };
}

export const ME_KEY = ['me'] as const;

/** Who is signed in; null when nobody is (a 401), so the app shows the sign-in page. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/auth/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: false });
}

export async function signIn(email: string, password: string): Promise<void> {
  await api.post('/api/auth/sign-in', { email, password });
}

/**
 * Signs out, then loads the app afresh at `/` (the sign-in page): nothing of the last user stays
 * in memory (cached answers, the boot's early ones, module state). Clearing the cache in place
 * re-rendered the shell without its metadata before the sign-in page replaced it, which failed.
 */
export function useSignOut(): () => Promise<void> {
  return async () => {
    try {
      await api.post('/api/auth/sign-out');
    } finally {
      forgetFirstRows();
      window.location.assign('/');
    }
  };
}

/**
 * True once an API call answered 401 while the app was in use: the shell then shows the sign-in
 * dialog over the page (forms stay mounted, drafts stay in IndexedDB) instead of navigating away.
 */
export function useSessionExpired(): [boolean, () => void] {
  const [expired, setExpired] = useState(false);
  useEffect(() => onUnauthenticated(() => setExpired(true)), []);
  return [expired, () => setExpired(false)];
}
