import type { UiLocale } from '../../i18n/i18n';
import { api, ApiError, query } from '../../api/client';
import { deleteRecord, type RecordData } from '../record-api';

/**
 * Bulk actions on selected records, each reporting what failed per record: bulk edit goes
 * through POST /bulk (each row with its version, so a row changed meanwhile fails alone), delete
 * record by record with If-Match (the API has no bulk delete), transfer through POST /transfer
 * (all or none, so one failure is the whole answer), export as a download of the matching ids.
 */
export interface RecordFailure {
  /** The record's id; empty when the refusal stands for the whole selection. */
  readonly id: string;
  /** The error code of the one error shape (absent for a failure that is not the API's). */
  readonly code?: string;
  readonly message: string;
}

export interface BulkOutcome {
  readonly done: number;
  readonly failures: readonly RecordFailure[];
}

interface BulkResponse {
  readonly committed: boolean;
  readonly results: readonly { readonly index: number; readonly status: string; readonly error?: { readonly code?: string; readonly message: string; readonly fields?: readonly { readonly message: string }[] } }[];
}

/** Rows per bulk request (the API's limit is 1,000). */
const BULK_CHUNK = 500;

function messageOf(error: { message: string; fields?: readonly { message: string }[] } | undefined): string {
  if (!error) return '';
  const details = (error.fields ?? []).map((f) => f.message).filter((m) => m && m !== error.message);
  return details.length ? `${error.message}: ${details.join('; ')}` : error.message;
}

export async function bulkUpdate(object: string, rows: readonly RecordData[], changes: Record<string, unknown>): Promise<BulkOutcome> {
  let done = 0;
  const failures: RecordFailure[] = [];
  for (let start = 0; start < rows.length; start += BULK_CHUNK) {
    const chunk = rows.slice(start, start + BULK_CHUNK);
    const response = await api.post<BulkResponse>(`/api/records/${encodeURIComponent(object)}/bulk`, {
      operation: 'update',
      records: chunk.map((row) => ({ id: row.id, version: row.version, ...changes })),
    });
    for (const result of response.results) {
      if (result.status === 'updated') done += 1;
      else failures.push({ id: chunk[result.index]!.id, ...(result.error?.code ? { code: result.error.code } : {}), message: messageOf(result.error) });
    }
  }
  return { done, failures };
}

/** Deletes a few at a time: one slow or refused record does not hold up the others. */
export async function bulkDelete(object: string, rows: readonly RecordData[], parallel = 4): Promise<BulkOutcome> {
  let done = 0;
  const failures: RecordFailure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      try {
        await deleteRecord(object, row.id, row.version);
        done += 1;
      } catch (e) {
        failures.push(e instanceof ApiError ? { id: row.id, code: e.code, message: messageOf(e) } : { id: row.id, message: String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, rows.length) }, worker));
  return { done, failures };
}

export async function transferOwner(object: string, ids: readonly string[], ownerId: string): Promise<BulkOutcome> {
  try {
    const result = await api.post<{ transferred: number }>(`/api/records/${encodeURIComponent(object)}/transfer`, { ids, owner_id: ownerId });
    return { done: result.transferred, failures: [] };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    // All or none: the refusal names no record, so it stands for the whole selection.
    return { done: 0, failures: [{ id: '', code: e.code, message: messageOf(e) }] };
  }
}

/** The export URL (a plain GET the browser downloads with the session cookie): the selection, or everything the filter matches. */
/**
 * The export a person downloads: a CSV in their language (labels, option labels, titles of
 * related records, people by name and e-mail, yes/no, a byte-order mark for Excel) that the
 * import reads back as it is.
 */
export function exportUrl(object: string, options: { readonly ids?: readonly string[]; readonly filter?: unknown; readonly sort?: string; readonly fields?: readonly string[]; readonly locale: UiLocale }): string {
  const filter = options.ids?.length ? { in: [{ var: 'id' }, options.ids] } : options.filter;
  return (
    `/api/records/${encodeURIComponent(object)}/export` +
    query({
      format: 'csv',
      labels: options.locale,
      ...(filter !== undefined ? { filter: filter as object } : {}),
      ...(options.sort ? { sort: options.sort } : {}),
      ...(options.fields?.length ? { fields: options.fields.join(',') } : {}),
    })
  );
}
