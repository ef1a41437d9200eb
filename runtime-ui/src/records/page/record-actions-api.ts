import { api } from '../../api/client';

/** Giving records to another owner (POST /api/records/:object/transfer: all or none, through the update pipeline). */
export function transferOwner(object: string, ids: readonly string[], ownerId: string): Promise<{ transferred: number }> {
  return api.post<{ transferred: number }>(`/api/records/${encodeURIComponent(object)}/transfer`, { ids, owner_id: ownerId });
}
