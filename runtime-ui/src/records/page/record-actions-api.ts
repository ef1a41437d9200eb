import { api } from '../../api/client';

/** Giving records to another owner (POST /api/records/:object/transfer: all or none, through the update pipeline). */
export function transferOwner(object: string, ids: readonly string[], ownerId: string): Promise<{ transferred: number }> {
  return api.post<{ transferred: number }>(`/api/records/${encodeURIComponent(object)}/transfer`, { ids, owner_id: ownerId });
}

/**
 * Whether the caller may change this record (GET /api/records/:object/editability): a record
 * shared for reading, or readable through an approval task, is not editable although the object is.
 */
export async function fetchRecordEditable(object: string, id: string, signal?: AbortSignal): Promise<boolean> {
  const answer = await api.get<{ data: { id: string; editable: boolean }[] }>(
    `/api/records/${encodeURIComponent(object)}/editability?ids=${encodeURIComponent(id)}`,
    signal ? { signal } : {},
  );
  return answer.data.some((state) => state.id === id && state.editable);
}
