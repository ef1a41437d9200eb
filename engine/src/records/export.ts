import { stringify } from 'csv-stringify/sync';
import type { RecordData } from './representation';

export type ExportFormat = 'csv' | 'ndjson';

/** Records as export lines: CSV (header first, lists joined with ";", objects as JSON) or one JSON object per line. */
export function exportLines(format: ExportFormat, columns: readonly string[], records: readonly RecordData[], withHeader: boolean): string {
  if (format === 'ndjson') return records.map((r) => `${JSON.stringify(r)}\n`).join('');
  const cell = (value: unknown): string | number | boolean | null => {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.join(';');
    if (typeof value === 'object') return JSON.stringify(value);
    return value as string | number | boolean;
  };
  const rows = records.map((r) => columns.map((c) => cell(r[c])));
  return stringify(withHeader ? [[...columns], ...rows] : rows);
}
