import { api, query } from '../api/client';

/**
 * The record API as the screens use it. Records travel as the API writes them (snake_case keys,
 * decimals as exact strings, references as ids or, when expanded, objects). Every change of an
 * existing record sends its version as If-Match, so a change made meanwhile by someone else is a
 * 412 `version_conflict` instead of being overwritten.
 */
export type RecordData = Record<string, unknown> & { readonly id: string; readonly version: number };

export interface RecordPage {
  readonly data: readonly RecordData[];
  readonly next_cursor?: string | null;
  readonly total?: number;
}

export interface ListParams {
  readonly filter?: unknown;
  readonly sort?: string;
  readonly limit?: number;
  readonly cursor?: string | null;
  readonly fields?: readonly string[];
  readonly q?: string;
  readonly expand?: readonly string[];
  readonly count?: boolean;
  readonly deleted?: boolean;
}

const base = (object: string) => `/api/records/${encodeURIComponent(object)}`;

/** The path listRecords asks for (the app's boot remembers a list's first one, app/first-rows.ts). */
export function listPath(object: string, params: ListParams = {}): string {
  const { fields, expand, ...rest } = params;
  return base(object) + query({ ...rest, filter: rest.filter as object | undefined, fields: fields?.join(','), expand: expand?.join(',') });
}

export function listRecords(object: string, params: ListParams = {}, signal?: AbortSignal): Promise<RecordPage> {
  return api.get<RecordPage>(listPath(object, params), signal ? { signal } : {});
}

export function getRecord(object: string, id: string, expand?: readonly string[]): Promise<RecordData> {
  return api.get<RecordData>(`${base(object)}/${encodeURIComponent(id)}` + query({ expand: expand?.join(',') }));
}

export function createRecord(object: string, values: Record<string, unknown>): Promise<RecordData> {
  return api.post<RecordData>(base(object), values);
}

export function updateRecord(object: string, id: string, version: number, changes: Record<string, unknown>): Promise<RecordData> {
  return api.patch<RecordData>(`${base(object)}/${encodeURIComponent(id)}`, changes, { headers: { 'If-Match': `"${version}"` } });
}

export function deleteRecord(object: string, id: string, version?: number): Promise<void> {
  return api.delete<void>(`${base(object)}/${encodeURIComponent(id)}`, version === undefined ? {} : { headers: { 'If-Match': `"${version}"` } });
}

export function restoreRecord(object: string, id: string): Promise<RecordData> {
  return api.post<RecordData>(`${base(object)}/${encodeURIComponent(id)}/restore`);
}

/** React Query keys of records, so a change invalidates every list, board and page that shows it. */
export const recordKeys = {
  all: (object: string) => ['records', object] as const,
  list: (object: string, params: unknown) => ['records', object, 'list', params] as const,
  one: (object: string, id: string) => ['records', object, 'one', id] as const,
};
