import type { ApiTokenSummary, CreatedApiToken } from '@crm/engine/core';
import { api } from '../api/client';
import type { Me } from '../auth/session';

export const tokenKeys = { all: ['api-tokens'] as const };

export async function fetchTokens(): Promise<readonly ApiTokenSummary[]> {
  return (await api.get<{ data: ApiTokenSummary[] }>('/api/auth/tokens')).data;
}

export function createToken(input: { name: string; expires_at: string | null }): Promise<CreatedApiToken> {
  return api.post<CreatedApiToken>('/api/auth/tokens', input);
}

export function revokeToken(id: string): Promise<void> {
  return api.delete<void>(`/api/auth/tokens/${encodeURIComponent(id)}`);
}

/** Renames the signed-in user; the answer is `/api/auth/me`'s. */
export function renameMe(name: string): Promise<Me> {
  return api.patch<Me>('/api/auth/me', { name });
}

/** Changes the signed-in user's password; the server then ends all their sessions, this one too. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return api.post<void>('/api/auth/password', { current_password: currentPassword, new_password: newPassword });
}

const NOTICE_KEY = 'crm.signInNotice';

/** A notice for the sign-in page the app goes to next (a reload: nothing of this session stays in memory). */
export function leaveForSignIn(notice: 'passwordChanged'): void {
  try {
    sessionStorage.setItem(NOTICE_KEY, notice);
  } catch {
    // Storage refused (private mode): the sign-in page shows no notice.
  }
  window.location.assign('/');
}

/** The notice left for the sign-in page, taken once. */
export function takeSignInNotice(): 'passwordChanged' | undefined {
  try {
    const notice = sessionStorage.getItem(NOTICE_KEY);
    sessionStorage.removeItem(NOTICE_KEY);
    return notice === 'passwordChanged' ? notice : undefined;
  } catch {
    return undefined;
  }
}
