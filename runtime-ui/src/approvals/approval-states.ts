import { useQuery } from '@tanstack/react-query';
import type { ClientObject } from '@crm/engine/core';
import { api } from '../api/client';

/** GET /api/records/:object/approval-states (server/src/approvals/routes.ts). */
export interface ApprovalState {
  readonly id: string;
  /** A request awaits a decision: the record is locked, a move or an edit would be refused. */
  readonly pending: boolean;
  /** A submission would start a request (the server evaluates the processes' criteria). */
  readonly can_submit: boolean;
}

/** The API's limit of ids per question: they travel in the URL. */
export const STATE_IDS_PER_REQUEST = 200;

/** Under ['approvals'], so submitting or deciding (which refresh ['approvals']) refreshes them too. */
export const approvalStateKeys = {
  of: (object: string, ids: readonly string[], version?: number) => ['approvals', 'states', object, ids, version ?? null] as const,
};

/** The ids in groups the API accepts. */
export function idChunks(ids: readonly string[], size = STATE_IDS_PER_REQUEST): string[][] {
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += size) chunks.push(ids.slice(start, start + size));
  return chunks;
}

export async function fetchApprovalStates(object: string, ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, ApprovalState>> {
  const pages = await Promise.all(
    idChunks(ids).map((chunk) =>
      api.get<{ data: ApprovalState[] }>(`/api/records/${encodeURIComponent(object)}/approval-states?ids=${chunk.map(encodeURIComponent).join(',')}`, signal ? { signal } : {}),
    ),
  );
  return new Map(pages.flatMap((page) => page.data).map((state) => [state.id, state]));
}

/**
 * The approval states of these records; nothing is asked for an object without approval
 * processes. `version` (one record's) asks again once the record changed: criteria read its values.
 */
export function useApprovalStates(object: ClientObject, ids: readonly string[], version?: number) {
  return useQuery({
    queryKey: approvalStateKeys.of(object.name, ids, version),
    queryFn: ({ signal }) => fetchApprovalStates(object.name, ids, signal),
    enabled: object.approval_processes.length > 0 && ids.length > 0,
    staleTime: 15_000,
  });
}
