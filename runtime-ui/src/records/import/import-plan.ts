import Papa from 'papaparse';
import { labelReadsAs, type ClientField, type ClientObject, type SelectOption } from '@crm/engine/core';
import { api, ApiError, query } from '../../api/client';
import type { UiLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import type { Sheet } from './read-sheet';

/** Up to `count` non-empty values of each column, from the top: what the columns step shows (it stops reading once it has them). */
export function columnSamples(sheet: Sheet, count = 2): string[] {
  return sheet.header.map((_, column) => {
    const found: string[] = [];
    for (const row of sheet.rows) {
      const value = row[column]!.trim();
      if (value) found.push(value);
      if (found.length === count) break;
    }
    return found.join(' · ');
  });
}

/** Fields a file may fill: those the user may set (the API refuses the others per row). */
export function importableFields(object: ClientObject): ClientField[] {
  return object.fields.filter((field) => field.mode === 'editable' && (!field.system || field.name === 'owner_id'));
}

/** Unique fields an import can match existing records by. */
export function matchingFields(object: ClientObject): ClientField[] {
  return importableFields(object).filter((field) => !field.system && (field as { unique?: boolean }).unique === true);
}

/**
 * The field a column names, as the API reads a header: its API name, or its label in any language
 * (case and surrounding spaces aside). Each field is taken once: a second column naming it is left out.
 */
export function matchColumns(fields: readonly ClientField[], header: readonly string[]): (string | null)[] {
  const taken = new Set<string>();
  return header.map((column) => {
    const field = fields.find((f) => f.name === column.trim()) ?? fields.find((f) => labelReadsAs(f.label, column));
    if (!field || taken.has(field.name)) return null;
    taken.add(field.name);
    return field.name;
  });
}

/** The options of a select or multiple select field; none for other fields. */
export function optionsOf(field: ClientField | undefined): readonly SelectOption[] | undefined {
  const options = (field as { options?: unknown } | undefined)?.options;
  return (field?.type === 'select' || field?.type === 'multiselect') && Array.isArray(options) ? (options as SelectOption[]) : undefined;
}

/** The values of one cell as the API splits it: a multiple select's cell holds several, separated by ";". */
function cellValues(field: ClientField, cell: string): string[] {
  const text = cell.trim();
  if (text === '') return [];
  return field.type === 'multiselect' ? text.split(';').map((value) => value.trim()).filter((value) => value !== '') : [text];
}

/** Whether the API reads a value as one of the options: its API value, or its label in any language. */
const isOption = (options: readonly SelectOption[], value: string) => options.some((option) => option.value === value || labelReadsAs(option.label, value));

/** Values of a select column that name no option, so their rows would fail: the user says what each means. */
export interface UnknownValues {
  readonly column: number;
  readonly field: string;
  /** Each distinct value, in the order first met, with the number of rows holding it. */
  readonly values: readonly { readonly value: string; readonly rows: number }[];
}

/** The most distinct unknown values shown per column: more means the column likely went to the wrong field. */
export const MAX_UNKNOWN_VALUES = 30;

/** For each column going into a select or multiple select, the values in it that are no option. */
export function unknownOptionValues(fields: readonly ClientField[], sheet: Sheet, mapping: readonly (string | null)[]): { found: UnknownValues[]; more: number } {
  const found: UnknownValues[] = [];
  let more = 0;
  mapping.forEach((name, column) => {
    const field = fields.find((f) => f.name === name);
    const options = optionsOf(field);
    if (!field || !options) return;
    const counts = new Map<string, number>();
    for (const row of sheet.rows) for (const value of new Set(cellValues(field, row[column] ?? ''))) if (!isOption(options, value)) counts.set(value, (counts.get(value) ?? 0) + 1);
    if (counts.size === 0) return;
    more += Math.max(0, counts.size - MAX_UNKNOWN_VALUES);
    found.push({ column, field: field.name, values: [...counts].slice(0, MAX_UNKNOWN_VALUES).map(([value, rows]) => ({ value, rows })) });
  });
  return { found, more };
}

/**
 * What the user said an unknown value means, per column: an option's API value, or null to leave
 * the value out (an empty cell sets nothing). A value not in the map is sent as it is, and its row fails.
 */
export type ValueChoices = Readonly<Record<number, Readonly<Record<string, string | null>>>>;

/** A cell with the user's choices applied: the same text when there is none for it. */
function chosenCell(field: ClientField | undefined, choices: Readonly<Record<string, string | null>> | undefined, cell: string): string {
  if (!field || !choices) return cell;
  const values = cellValues(field, cell);
  if (!values.some((value) => value in choices)) return cell;
  const kept = values.flatMap((value) => {
    if (!(value in choices)) return [value];
    const chosen = choices[value];
    return chosen ? [chosen] : [];
  });
  return [...new Set(kept)].join(';');
}

export interface ImportSettings {
  /** Per column of the file: the field it fills, or null to leave it out. */
  readonly mapping: readonly (string | null)[];
  /** Unknown select values the user mapped (by column); absent, cells go as they are. */
  readonly choices?: ValueChoices;
  /** The fields the mapping names, to read multiple select cells by; needed with `choices`. */
  readonly fields?: readonly ClientField[];
  /** Update the records holding the same value of this unique field, create the others. */
  readonly matchBy: string | null;
  readonly allOrNothing: boolean;
}

/** The file as the API reads it: mapped columns only, headed by API names; and the lines each row spans there. */
export function importCsv(sheet: Sheet, mapping: readonly (string | null)[], choices: ValueChoices = {}, fields: readonly ClientField[] = []): { text: string; spans: readonly (readonly [number, number])[] } {
  const kept = mapping.flatMap((field, index) => (field ? [{ field, index, definition: fields.find((f) => f.name === field), choices: choices[index] }] : []));
  const rows = sheet.rows.map((row) => kept.map(({ index, definition, choices: chosen }) => chosenCell(definition, chosen, row[index] ?? '')));
  const text = Papa.unparse({ fields: kept.map(({ field }) => field), data: rows }, { newline: '\n' });
  // A quoted cell may hold line breaks; the API reports a record by a line it spans.
  let line = 2;
  const spans = rows.map((cells) => {
    const start = line;
    line += 1 + cells.reduce((sum, cell) => sum + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    return [start, line - 1] as const;
  });
  return { text, spans };
}

/** The API's answer for one record of an import. */
export interface ImportRowResult {
  readonly line: number;
  readonly status: 'created' | 'updated' | 'failed' | 'rolled_back';
  readonly id?: string;
  readonly error?: { readonly code: string; readonly message: string; readonly fields?: readonly { readonly path: string; readonly message: string; readonly label?: string }[] };
}

export interface ImportAnswer {
  readonly committed: boolean;
  readonly results: readonly ImportRowResult[];
  readonly summary: { readonly created: number; readonly updated: number; readonly failed: number; readonly rows: number };
}

/** A row of the file that was not written, and why, in the user's language. */
export interface FailedRow {
  /** Index into the sheet's rows. */
  readonly row: number;
  readonly problem: string;
}

/** What an import did, read back onto the file's rows. */
export interface ImportOutcome {
  /** False only when an all-or-nothing import was rolled back. */
  readonly committed: boolean;
  readonly summary: { readonly created: number; readonly updated: number; readonly failed: number };
  readonly failed: readonly FailedRow[];
  /**
   * Rows from this index on were never sent: the user stopped the import, or a part of it was
   * refused as a whole (the connection, the session). Those before it are written, or failed on their own.
   */
  readonly unsent: { readonly from: number; readonly error?: unknown } | null;
}

/** The most bytes one request may carry (the server's body limit). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/**
 * Rows sent in one request when each row may succeed on its own: the dialog shows progress and can
 * stop between parts, and a part whose answer is lost is sent again under its key (sendPart).
 * Rows are written in file order either way, so an upsert file that names a record twice behaves
 * as in one request. A part under its key is one transaction on the server, and on PGlite other
 * requests wait for it: `pnpm bench import` measured the longest wait at ~240 ms with 200 rows,
 * ~560 ms with 500, at the same rows per second.
 */
export const IMPORT_PART_ROWS = 200;

export class TooLargeForImport extends Error {}

/** The pauses before sending a part again whose answer did not arrive: the connection, or the server busy. */
export const PART_RETRY_DELAYS_MS = [1000, 3000] as const;

/**
 * A key naming one part, for the server's idempotency: crypto.getRandomValues, which (unlike
 * randomUUID) also works on a page served over plain http from a LAN address.
 */
function partKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `import-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Sends one part, again under the same Idempotency-Key when its answer did not arrive: if the
 * first attempt was written, the server answers as it did then and writes nothing twice.
 */
async function sendPart(path: string, text: string): Promise<ImportAnswer> {
  const key = partKey();
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await api.post<ImportAnswer>(path, undefined, { file: { type: 'text/csv', text }, headers: { 'Idempotency-Key': key } });
    } catch (error) {
      const again = !(error instanceof ApiError) || error.status === 503 || (error.status === 409 && error.code === 'idempotency_in_progress');
      if (!again || attempt >= PART_RETRY_DELAYS_MS.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, PART_RETRY_DELAYS_MS[attempt]));
    }
  }
}

export interface ImportRun {
  /** Rows of the file sent and answered so far. */
  readonly onProgress?: (done: number) => void;
  /** Stops before the next part; the rows already written stay. */
  readonly signal?: AbortSignal;
  readonly partRows?: number;
}

/**
 * Sends the file and reads the answers back onto the file's rows. All or nothing is one request,
 * so one transaction; otherwise the rows go in parts of `IMPORT_PART_ROWS`, one after the other.
 */
export async function runImport(object: ClientObject, sheet: Sheet, settings: ImportSettings, run: ImportRun = {}): Promise<ImportOutcome> {
  const partRows = settings.allOrNothing ? Math.max(1, sheet.rows.length) : Math.max(1, run.partRows ?? IMPORT_PART_ROWS);
  const path = `/api/records/${encodeURIComponent(object.name)}/import${query({
    mode: settings.matchBy ? 'upsert' : undefined,
    upsert_field: settings.matchBy ?? undefined,
    all_or_nothing: settings.allOrNothing || undefined,
  })}`;
  let committed = true;
  const summary = { created: 0, updated: 0, failed: 0 };
  const failed: FailedRow[] = [];
  // Every part is written out, and measured, before the first is sent: a refusal for size leaves nothing half done.
  const parts: { from: number; text: string; spans: readonly (readonly [number, number])[] }[] = [];
  for (let from = 0; from < sheet.rows.length; from += partRows) {
    const written = importCsv({ ...sheet, rows: sheet.rows.slice(from, from + partRows) }, settings.mapping, settings.choices, settings.fields);
    if (new Blob([written.text]).size > MAX_IMPORT_BYTES) throw new TooLargeForImport();
    parts.push({ from, ...written });
  }
  for (const { from, text, spans } of parts) {
    if (run.signal?.aborted) return { committed, summary, failed, unsent: { from } };
    let answer: ImportAnswer;
    try {
      answer = await sendPart(path, text);
    } catch (error) {
      // Nothing written yet: the columns step shows why. Later, the written parts are reported with the rest unsent.
      if (from === 0) throw error;
      return { committed, summary, failed, unsent: { from, error } };
    }
    committed = committed && answer.committed;
    summary.created += answer.summary.created;
    summary.updated += answer.summary.updated;
    summary.failed += answer.summary.failed;
    const rowOfLine = (line: number) => {
      const index = spans.findIndex(([start, end]) => line >= start && line <= end);
      return index < 0 ? -1 : from + index;
    };
    for (const result of answer.results) if (result.status === 'failed') failed.push({ row: rowOfLine(result.line), problem: problemOf(result) });
    run.onProgress?.(Math.min(sheet.rows.length, from + partRows));
  }
  return { committed, summary, failed, unsent: null };
}

/** A refused row's reason: each field's issue (its message names the field), or the refusal's message. */
export function problemOf(result: ImportRowResult): string {
  const fields = result.error?.fields ?? [];
  if (fields.length) return fields.map((issue) => issue.message).join('; ');
  return result.error?.message ?? result.status;
}

/** The rows that failed, as the file had them, with the reason in a last column: to fix and import again. */
export function failedRowsCsv(sheet: Sheet, failed: readonly FailedRow[], problemHeader: string): string {
  const rows = failed.filter((f) => f.row >= 0).map((f) => [...sheet.rows[f.row]!, f.problem]);
  return `\ufeff${Papa.unparse({ fields: [...sheet.header, problemHeader], data: rows }, { newline: '\r\n' })}`;
}

/** An empty file to fill: the importable fields' labels in the user's language, as columns. */
export function templateCsv(object: ClientObject, locale: UiLocale): string {
  const labels = importableFields(object).map((field) => textOf(field.label, locale, field.name));
  return `\ufeff${Papa.unparse({ fields: labels, data: [] }, { newline: '\r\n' })}`;
}
