/**
 * The shape of a list filter: its JSON with the numbers it compares fields with taken out. A
 * view's or a page's filter repeats with other numbers (`amount > 90000`, `amount > 90001`), and
 * translating it to SQL costs more than the rest of a list call, so a shape is translated once
 * and later filters of that shape only bind their numbers.
 *
 * Only what is known to map to one parameter is taken out: a finite number compared (`<`, `<=`,
 * `>`, `>=`, `==`, `!=`, `===`, `!==`) with a field read (`{"var": "name"}`). Its class is part of
 * the shape (whether it binds as an untyped integer or as a numeric, its sign), since the SQL
 * text depends on it. Whether a shape's translation binds each of its numbers as one parameter,
 * with nothing else depending on them, is checked by translating it twice (filter-statement.ts).
 */

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=', '===', '!==']);

/** Stands for a number taken out; U+0000 cannot occur in a filter (list input refuses it). */
const MARK = '\u0000n';

export interface FilterShape {
  /** The filter's JSON with each number taken out replaced by a mark of its class. */
  readonly key: string;
  /** The numbers taken out, in the order of the marks. */
  readonly numbers: readonly number[];
}

/** The parameter value a number binds as: integers that fit an int4 as themselves, others as text (see rules/sql numberParam). */
export function numberClass(value: number): 'i+' | 'i-' | 'f+' | 'f-' | undefined {
  if (!Number.isFinite(value) || value === 0) return undefined;
  const integer = Number.isSafeInteger(value) && Math.abs(value) < 2 ** 31;
  return `${integer ? 'i' : 'f'}${value > 0 ? '+' : '-'}`;
}

function isFieldRead(node: unknown): boolean {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
  const keys = Object.keys(node);
  return keys.length === 1 && keys[0] === 'var' && typeof (node as { var: unknown }).var === 'string';
}

/** The number a comparison node compares a field with (and where it stands), if it has that form. */
function comparedNumber(node: Record<string, unknown>): { op: string; index: 0 | 1; value: number } | undefined {
  const keys = Object.keys(node);
  if (keys.length !== 1 || !COMPARISONS.has(keys[0]!)) return undefined;
  const args = node[keys[0]!];
  if (!Array.isArray(args) || args.length !== 2) return undefined;
  for (const index of [0, 1] as const) {
    const value = args[index] as unknown;
    if (typeof value === 'number' && numberClass(value) !== undefined && isFieldRead(args[1 - index])) return { op: keys[0]!, index, value };
  }
  return undefined;
}

/** The filter with each number taken out replaced by `replace(number, position)`. */
export function mapComparedNumbers(node: unknown, replace: (value: number, position: number) => unknown, counter = { next: 0 }): unknown {
  if (Array.isArray(node)) return node.map((item) => mapComparedNumbers(item, replace, counter));
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const compared = comparedNumber(record);
  if (compared) {
    const args = [...(record[compared.op] as unknown[])];
    args[compared.index] = replace(compared.value, counter.next++);
    return { [compared.op]: args };
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) copy[key] = mapComparedNumbers(record[key], replace, counter);
  return copy;
}

/** The filter's shape, or undefined when it compares no number it could take out. */
export function filterShape(filter: unknown): FilterShape | undefined {
  const numbers: number[] = [];
  const shaped = mapComparedNumbers(filter, (value) => {
    numbers.push(value);
    return `${MARK}${numberClass(value)}`;
  });
  return numbers.length === 0 ? undefined : { key: JSON.stringify(shaped), numbers };
}

/** The parameter a number of the given class binds as. */
export function parameterForm(value: number): number | string {
  return numberClass(value)!.startsWith('i') ? value : String(value);
}

/** Another number of the same class (to check a translation against), or undefined if none is near. */
export function probeNumber(value: number): number | undefined {
  const cls = numberClass(value);
  const candidates = cls?.startsWith('i') ? [value + 1, value - 1] : [value * (1 + 2 ** -20), value * (1 - 2 ** -20)];
  return candidates.find((c) => c !== value && numberClass(c) === cls);
}
