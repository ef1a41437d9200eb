import { sql, type QueryExecutorProvider, type RawBuilder, type SqlBool } from 'kysely';
import type { CompiledObject } from '../metadata/compiled';
import { fieldsScope, type RuleContext } from '../metadata/rule-scope';
import { compileFilterToSql } from '../rules/sql';
import { filterShape, mapComparedNumbers, parameterForm, probeNumber, type FilterShape } from './filter-shapes';

/**
 * A list filter as SQL text with `$n` placeholders and the values bound to them. The text is
 * what identifies the statement a list runs: two filters that differ only in their constants
 * (`amount > 90000`, `amount > 90001`) translate to the same text with other values, so one
 * compiled, prepared statement serves both. Keying by the translated text rather than by a
 * normalised filter is exact by construction: whatever a constant's type or form changes in the
 * translation (5 against "5", a canonical date or not, null) changes the text too.
 */
export interface FilterStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** Translations of filters by their JSON, per compiled object (a view's filter repeats as is). */
const translations = new WeakMap<CompiledObject, Map<string, FilterStatement>>();
const MAX_TRANSLATIONS = 200;

/**
 * Translations of filter shapes (filter-shapes.ts) per compiled object: the statement of one
 * filter of the shape, and for each number taken out the parameter it binds. `false`: the shape's
 * translation does not bind its numbers one to one, so its filters are translated each time.
 */
interface ShapeStatement {
  readonly text: string;
  readonly values: readonly unknown[];
  /** Per number taken out (in shape order), the index of its parameter. */
  readonly parameters: readonly number[];
}
const shapes = new WeakMap<CompiledObject, Map<string, ShapeStatement | false>>();

/**
 * Whether a filter's JSON reads $user, $now or $today: their values are per call, so its
 * translation is not kept.
 */
function readsContext(json: string): boolean {
  return json.includes('"$');
}

function remember<T>(caches: WeakMap<CompiledObject, Map<string, T>>, object: CompiledObject, key: string, value: T): void {
  let byKey = caches.get(object);
  if (!byKey) caches.set(object, (byKey = new Map()));
  if (byKey.size >= MAX_TRANSLATIONS) byKey.clear();
  byKey.set(key, value);
}

/**
 * Checks and translates a filter (rule_invalid / filter_not_translatable as compileFilterToSql
 * throws them), from the cache when the same filter, or one of the same shape, was translated for
 * the same hidden fields.
 */
export function filterStatement(db: QueryExecutorProvider, object: CompiledObject, filter: unknown, context: RuleContext, hidden: ReadonlySet<string>): FilterStatement {
  // Whether a filter is valid depends on which fields the caller may see.
  const seen = `${[...hidden].sort().join(',')}|`;
  const shape = filterShape(filter);
  if (shape && !readsContext(shape.key)) {
    const shapeKey = seen + shape.key;
    const known = shapes.get(object)?.get(shapeKey);
    if (known) return bindNumbers(known, shape.numbers);
    if (known === undefined) {
      const statement = translate(db, object, filter, context, hidden);
      remember(shapes, object, shapeKey, learnShape(db, object, filter, shape, statement, context, hidden));
      return statement;
    }
  }
  const json = JSON.stringify(filter);
  if (readsContext(json)) return translate(db, object, filter, context, hidden);
  const key = seen + json;
  const cached = translations.get(object)?.get(key);
  if (cached) return cached;
  const statement = translate(db, object, filter, context, hidden);
  remember(translations, object, key, statement);
  return statement;
}

/** How many filters were translated (cache misses and shape checks), for tests that a shape is reused. */
let translationCount = 0;
export function filterTranslations(): number {
  return translationCount;
}

function translate(db: QueryExecutorProvider, object: CompiledObject, filter: unknown, context: RuleContext, hidden: ReadonlySet<string>): FilterStatement {
  translationCount++;
  const compiled = compileFilterToSql(filter, fieldsScope(object.fieldsByName, { context, hidden })).compile(db);
  return { text: compiled.sql, values: compiled.parameters };
}

function bindNumbers(shape: ShapeStatement, numbers: readonly number[]): FilterStatement {
  const values = [...shape.values];
  shape.parameters.forEach((parameter, i) => (values[parameter] = parameterForm(numbers[i]!)));
  return { text: shape.text, values };
}

/**
 * Whether `statement` (the translation of `filter`) binds each number taken out as one parameter
 * of its own, with nothing else depending on it: each number's parameter form occurs exactly once
 * among the values, and the same filter with other numbers of the same classes translates to the
 * same text with only those parameters changed. Else `false`: the shape is not reused.
 */
function learnShape(
  db: QueryExecutorProvider,
  object: CompiledObject,
  filter: unknown,
  shape: FilterShape,
  statement: FilterStatement,
  context: RuleContext,
  hidden: ReadonlySet<string>,
): ShapeStatement | false {
  const parameters: number[] = [];
  for (const value of shape.numbers) {
    const form = parameterForm(value);
    const at = statement.values.flatMap((v, i) => (v === form ? [i] : []));
    if (at.length !== 1 || parameters.includes(at[0]!)) return false;
    parameters.push(at[0]!);
  }
  const probes = shape.numbers.map(probeNumber);
  if (probes.some((p) => p === undefined) || new Set(probes).size !== probes.length) return false;
  let probed: FilterStatement;
  try {
    probed = translate(db, object, mapComparedNumbers(filter, (_, position) => probes[position]), context, hidden);
  } catch {
    return false;
  }
  if (probed.text !== statement.text || probed.values.length !== statement.values.length) return false;
  const expected = bindNumbers({ ...statement, parameters }, probes as number[]).values;
  const same = probed.values.every((v, i) => v === expected[i] || JSON.stringify(v) === JSON.stringify(expected[i]));
  return same ? { text: statement.text, values: statement.values, parameters } : false;
}

/** A filter's text split around its placeholders (text, number, text, ...), kept per text: a shape's text repeats on every call. */
const splitTexts = new Map<string, readonly string[]>();
function placeholderParts(text: string): readonly string[] {
  let parts = splitTexts.get(text);
  if (!parts) {
    if (splitTexts.size >= MAX_TRANSLATIONS) splitTexts.clear();
    splitTexts.set(text, (parts = text.split(/\$(\d+)/)));
  }
  return parts;
}

/**
 * The filter as a condition of a larger statement, each of its values bound through `bind` (a
 * plain parameter, or a slot of a cached statement). The placeholders are numbered $1..$n in
 * order, as Kysely writes them; anything else means the text is not what this code expects.
 */
export function filterCondition(statement: FilterStatement, bind: (value: unknown) => RawBuilder<unknown>): RawBuilder<SqlBool> {
  const parts = placeholderParts(statement.text);
  const pieces: RawBuilder<unknown>[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (part !== '') pieces.push(sql.raw(part));
      return;
    }
    const index = (i - 1) / 2;
    if (Number(part) !== index + 1 || index >= statement.values.length) throw new Error(`unexpected placeholder $${part} in a filter's SQL`);
    pieces.push(bind(statement.values[index]));
  });
  if ((parts.length - 1) / 2 !== statement.values.length) throw new Error("a filter's SQL does not use all its values");
  return sql<SqlBool>`(${sql.join(pieces, sql``)})`;
}
