import type { CellValue, Workbook } from 'exceljs';
// The browser build without its bundled polyfills (the browsers we serve have them): 238 KB
// gzip, loaded only when someone picks an .xlsx.
import * as excel from 'exceljs/dist/exceljs.bare.min.js';

type ExcelModule = { readonly Workbook: new () => Workbook };

/** The first worksheet's cells as the text a person sees in them (dates as ISO dates). */
export async function readWorkbook(bytes: ArrayBuffer): Promise<string[][]> {
  const module = excel as unknown as ExcelModule & { readonly default?: ExcelModule };
  const Workbook = module.Workbook ?? module.default!.Workbook;
  const workbook = new Workbook();
  await workbook.xlsx.load(bytes);
  const sheet = workbook.worksheets.find((candidate) => candidate.state === 'visible') ?? workbook.worksheets[0];
  const rows: string[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row, number) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) cells.push(cellText(row.getCell(column).value));
    rows[number - 1] = cells;
  });
  return Array.from(rows, (row) => row ?? []);
}

/** A cell's value as the import reads text: numbers without grouping, dates as YYYY-MM-DD (or an instant), formulas by their result. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return 'result' in value && value.result !== undefined ? cellText(value.result as CellValue) : '';
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as CellValue);
  if ('error' in value) return '';
  return '';
}

/** Excel stores a date as a moment in UTC; one at midnight is a date, anything else an instant. */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
