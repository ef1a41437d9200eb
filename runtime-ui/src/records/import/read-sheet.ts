import Papa from 'papaparse';

/** A file's table: its first non-empty row names the columns; every other row has as many cells. */
export interface Sheet {
  readonly fileName: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Why a file cannot be read: keys of `import.problems` in the catalogues (a test checks both languages have each). */
export const SHEET_PROBLEMS = ['empty', 'noRows', 'quote', 'longRow', 'unreadable', 'tooManyRows', 'kind', 'blankHeader', 'tooLarge'] as const;

/** Why a file cannot be read, as a catalogue key of `import.problems` and its values. */
export class SheetProblem extends Error {
  constructor(
    readonly key: (typeof SHEET_PROBLEMS)[number],
    readonly values: Readonly<Record<string, string | number>> = {},
  ) {
    super(key);
    this.name = 'SheetProblem';
  }
}

/** The most records one import takes (the API's limit): larger files are split by the user. */
export const MAX_IMPORT_ROWS = 10_000;

const isWorkbook = (file: File) => /\.xlsx$/i.test(file.name) || file.type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const isCsv = (file: File) => /\.(csv|txt)$/i.test(file.name) || file.type === 'text/csv';

export function acceptsFile(file: File): boolean {
  return isWorkbook(file) || isCsv(file);
}

/** Reads a CSV (UTF-8, or GB18030 as Excel in Chinese saves it) or the first worksheet of an .xlsx. */
export async function readSheet(file: File): Promise<Sheet> {
  if (!acceptsFile(file)) throw new SheetProblem('kind');
  const bytes = await file.arrayBuffer();
  const cells = isWorkbook(file) ? await (await import('./read-workbook')).readWorkbook(bytes) : readCsv(decodeText(bytes));
  return tableOf(file.name, cells);
}

/**
 * The file's text. Excel's "CSV" in a Chinese Windows writes GB18030 (GBK), not UTF-8: a file
 * that is not valid UTF-8 is read as that, so 客户名称 does not arrive as mojibake.
 */
export function decodeText(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function readCsv(text: string): string[][] {
  if (text.trim() === '') throw new SheetProblem('empty');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
  const broken = parsed.errors.find((error) => error.type === 'Quotes');
  if (broken) throw new SheetProblem('quote', { row: (broken.row ?? 0) + 1 });
  return parsed.data;
}

/** Rows as long as the header (short ones padded); a row with more filled cells than the header is refused. */
export function tableOf(fileName: string, cells: readonly (readonly string[])[]): Sheet {
  const [first, ...rest] = cells.filter((row) => row.some((cell) => cell.trim() !== ''));
  if (!first) throw new SheetProblem('empty');
  let width = first.length;
  while (width > 0 && first[width - 1]!.trim() === '') width -= 1;
  const header = first.slice(0, width).map((name) => name.trim());
  const blank = header.findIndex((name) => name === '');
  if (blank !== -1) throw new SheetProblem('blankHeader', { column: blank + 1 });
  if (rest.length === 0) throw new SheetProblem('noRows');
  if (rest.length > MAX_IMPORT_ROWS) throw new SheetProblem('tooManyRows', { max: MAX_IMPORT_ROWS, count: rest.length });
  const rows = rest.map((row, index) => {
    if (row.slice(width).some((cell) => cell.trim() !== '')) throw new SheetProblem('longRow', { row: index + 2 });
    return Array.from({ length: width }, (_, i) => row[i] ?? '');
  });
  return { fileName, header, rows };
}
