import { CsvError, parse } from 'csv-parse/sync';
import { CrmError, reason, validationError, type FieldIssue, type Reason } from '../errors';
import { labelReadsAs } from '../core/label-match';
import type { SelectOption } from '../documents/types';
import type { CompiledField, CompiledObject } from '../metadata/compiled';
import type { BulkRequest, BulkResult } from './bulk';

/**
 * Imports: a CSV or NDJSON file of records, written through the bulk pipeline (every row a full
 * create or upsert, behind its own savepoint, validation rules and workflows included). CSV
 * columns are fields by API name or by label in any language; cells are read as the export
 * writes them (lists joined with ";", JSON as JSON). An empty cell sets nothing.
 */

export type ImportFormat = 'csv' | 'ndjson';

export interface ImportRequest {
  readonly format: ImportFormat;
  /** The file's text. */
  readonly data: string;
  /** `create` (default) or `upsert` by `upsert_field` (a unique field). */
  readonly mode?: 'create' | 'upsert';
  readonly upsert_field?: string;
  /** Write every row or none. */
  readonly all_or_nothing?: boolean;
}

export interface ImportRowResult {
  /** The line of the file the record came from (1-based; a CSV's header is line 1). */
  readonly line: number;
  readonly status: 'created' | 'updated' | 'failed' | 'rolled_back';
  readonly id?: string;
  readonly error?: CrmError;
}

export interface ImportResult {
  readonly committed: boolean;
  readonly results: ImportRowResult[];
  readonly summary: BulkResult['summary'] & { readonly rows: number };
}

/** The most records one import may hold: larger files are split by whoever sends them. */
export const MAX_IMPORT_ROWS = 10_000;

/** The request as a bulk request, and the line each record came from. */
export function importAsBulk(object: CompiledObject, request: ImportRequest, hidden: ReadonlySet<string>): { bulk: BulkRequest; lines: number[] } {
  const mode = request.mode ?? 'create';
  if (mode !== 'create' && mode !== 'upsert') throw validationError([{ path: 'mode', code: 'invalid', params: { reason: reason('must_be_choice', { choices: ['create', 'upsert'] }) } }]);
  if (typeof request.data !== 'string' || request.data.trim() === '') throw validationError([{ path: 'data', code: 'invalid', params: { reason: reason('file_empty') } }]);
  const parsed = request.format === 'csv' ? readCsv(object, request.data, hidden) : request.format === 'ndjson' ? readNdjson(request.data) : undefined;
  if (!parsed) throw validationError([{ path: 'format', code: 'invalid', params: { reason: reason('must_be_choice', { choices: ['csv', 'ndjson'] }) } }]);
  if (parsed.records.length === 0) throw validationError([{ path: 'data', code: 'invalid', params: { reason: reason('file_no_records') } }]);
  if (parsed.records.length > MAX_IMPORT_ROWS) {
    throw validationError([{ path: 'data', code: 'invalid', params: { reason: reason('too_many_import_rows', { max: MAX_IMPORT_ROWS.toLocaleString('en'), count: parsed.records.length.toLocaleString('en') }) } }]);
  }
  return {
    bulk: {
      operation: mode,
      records: parsed.records,
      ...(request.upsert_field !== undefined ? { upsert_field: request.upsert_field } : {}),
      ...(request.all_or_nothing !== undefined ? { all_or_nothing: request.all_or_nothing } : {}),
    },
    lines: parsed.lines,
  };
}

/** Bulk results as import results: by line, without the written records (an import can be large). */
export function importResult(result: BulkResult, lines: readonly number[]): ImportResult {
  return {
    committed: result.committed,
    results: result.results.map((r) => ({ line: lines[r.index]!, status: r.status, ...(r.id ? { id: r.id } : {}), ...(r.error ? { error: r.error } : {}) })),
    summary: { ...result.summary, rows: lines.length },
  };
}

function readNdjson(data: string): { records: unknown[]; lines: number[] } {
  const records: unknown[] = [];
  const lines: number[] = [];
  const issues: FieldIssue[] = [];
  data.split(/\r?\n/).forEach((text, i) => {
    if (text.trim() === '') return;
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      records.push(value);
      lines.push(i + 1);
    } catch {
      if (issues.length < 20) issues.push({ path: `line/${i + 1}`, code: 'type', params: { expected: 'a JSON object on one line' } });
    }
  });
  if (issues.length) throw validationError(issues);
  return { records, lines };
}

/** What the CSV parser stopped at, in words of the reason catalogue (its own message is English). */
function csvProblem(error: unknown): Reason {
  const code = error instanceof CsvError ? error.code : undefined;
  if (code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || code === 'CSV_RECORD_INCONSISTENT_COLUMNS') return reason('csv_field_count');
  if (code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') return reason('csv_quote');
  return reason('csv_unreadable');
}

function readCsv(object: CompiledObject, data: string, hidden: ReadonlySet<string>): { records: unknown[]; lines: number[] } {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(data, { bom: true, skip_empty_lines: true, info: true, relax_column_count: false }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = error instanceof CsvError ? (error as CsvError & { lines?: number }).lines : undefined;
    throw validationError([{ path: line ? `line/${line}` : 'data', code: 'invalid', params: { reason: reason('csv_invalid', { problem: csvProblem(error) }) } }]);
  }
  const [header, ...body] = rows;
  if (!header) return { records: [], lines: [] };
  const columns = header.record.map((name) => columnField(object, name, hidden));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  header.record.forEach((name, i) => {
    const field = columns[i];
    if (!field) issues.push({ path: `columns/${name}`, code: 'unknown_field' });
    else if (!field.writable) issues.push({ path: `columns/${name}`, code: 'invalid', params: { reason: reason('column_not_importable', { field: field.name }) } });
    else if (seen.has(field.name)) issues.push({ path: `columns/${name}`, code: 'invalid', params: { reason: reason('column_twice', { field: field.name }) } });
    else seen.add(field.name);
  });
  if (issues.length) throw validationError(issues);
  return {
    records: body.map(({ record }) => {
      const values: Record<string, unknown> = {};
      record.forEach((cell, i) => {
        if (cell.trim() === '') return;
        const field = columns[i]!;
        values[field.name] = cellValue(field, cell);
      });
      return values;
    }),
    lines: body.map(({ info }) => info.lines),
  };
}

/** A column names a field by API name, or by its label in any language (case and spaces aside). */
function columnField(object: CompiledObject, name: string, hidden: ReadonlySet<string>): CompiledField | undefined {
  const visible = (field: CompiledField | undefined) => (field && !hidden.has(field.name) ? field : undefined);
  const exact = visible(object.fieldsByName.get(name.trim()));
  if (exact) return exact;
  return object.fields.find((field) => !hidden.has(field.name) && labelReadsAs(field.definition.label, name));
}

/** A cell as the record pipeline takes the field's value; what does not fit is left for it to report. */
function cellValue(field: CompiledField, cell: string): unknown {
  const value = field.type.fromCell ? field.type.fromCell(cell) : cell.trim();
  const options = (field.definition as { options?: unknown }).options;
  if (!Array.isArray(options)) return value;
  return Array.isArray(value) ? value.map((v) => optionValue(options as readonly SelectOption[], v)) : optionValue(options as readonly SelectOption[], value);
}

/** A spreadsheet holds options as people read them: "Negotiation" or 商务谈判 for `negotiation`. */
function optionValue(options: readonly SelectOption[], value: unknown): unknown {
  if (typeof value !== 'string' || options.some((option) => option.value === value)) return value;
  const labelled = options.find((option) => labelReadsAs(option.label, value));
  return labelled ? labelled.value : value;
}
