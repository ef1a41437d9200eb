import Papa from 'papaparse';
import { labelReadsAs, type ClientField, type ClientObject } from '@crm/engine/core';
import { api, query } from '../../api/client';
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

export interface ImportSettings {
  /** Per column of the file: the field it fills, or null to leave it out. */
  readonly mapping: readonly (string | null)[];
  /** Update the records holding the same value of this unique field, create the others. */
  readonly matchBy: string | null;
  readonly allOrNothing: boolean;
}

/** The file as the API reads it: mapped columns only, headed by API names; and the lines each row spans there. */
export function importCsv(sheet: Sheet, mapping: readonly (string | null)[]): { text: string; spans: readonly (readonly [number, number])[] } {
  const kept = mapping.flatMap((field, index) => (field ? [{ field, index }] : []));
  const rows = sheet.rows.map((row) => kept.map(({ index }) => row[index] ?? ''));
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

export interface ImportOutcome {
  readonly answer: ImportAnswer;
  readonly failed: readonly FailedRow[];
}

/** The most bytes one request may carry (the server's body limit). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export class TooLargeForImport extends Error {}

/** Sends the file and reads the answer back onto the file's rows. */
export async function runImport(object: ClientObject, sheet: Sheet, settings: ImportSettings): Promise<ImportOutcome> {
  const { text, spans } = importCsv(sheet, settings.mapping);
  if (new Blob([text]).size > MAX_IMPORT_BYTES) throw new TooLargeForImport();
  const path = `/api/records/${encodeURIComponent(object.name)}/import${query({
    mode: settings.matchBy ? 'upsert' : undefined,
    upsert_field: settings.matchBy ?? undefined,
    all_or_nothing: settings.allOrNothing || undefined,
  })}`;
  const answer = await api.post<ImportAnswer>(path, undefined, { file: { type: 'text/csv', text } });
  const rowOfLine = (line: number) => spans.findIndex(([start, end]) => line >= start && line <= end);
  const failed = answer.results.flatMap((result) => (result.status === 'failed' ? [{ row: rowOfLine(result.line), problem: problemOf(result) }] : []));
  return { answer, failed };
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
