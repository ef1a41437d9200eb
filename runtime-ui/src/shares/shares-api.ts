import { api } from '../api/client';

/**
 * Shares of one record (GET/POST /api/records/:object/:id/shares, DELETE …/shares/:share): read
 * or edit access given to a user, or to a department and those below it. Only someone who may
 * edit this record may share it (the list's `can_share` says so); sharing again with the same user
 * or department changes the access.
 */
export type ShareAccess = 'read' | 'edit';

export interface RecordShare {
  readonly id: string;
  readonly user_id: string | null;
  readonly department_id: string | null;
  readonly access: ShareAccess;
  readonly granted_by: string;
  readonly created_at: string;
}

export interface RecordShareList {
  readonly data: readonly RecordShare[];
  /** The caller may add and remove shares of this record (the server would accept). */
  readonly can_share: boolean;
}

export type ShareRequest = { readonly access: ShareAccess } & ({ readonly user_id: string } | { readonly department_id: string });

const sharesPath = (object: string, id: string) => `/api/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}/shares`;

export const shareKeys = { record: (object: string, id: string) => ['shares', object, id] as const };

export function listShares(object: string, id: string): Promise<RecordShareList> {
  return api.get<RecordShareList>(sharesPath(object, id));
}

export function grantShare(object: string, id: string, request: ShareRequest): Promise<RecordShare> {
  return api.post<RecordShare>(sharesPath(object, id), request);
}

export function revokeShare(object: string, id: string, share: string): Promise<void> {
  return api.delete<void>(`${sharesPath(object, id)}/${encodeURIComponent(share)}`);
}
