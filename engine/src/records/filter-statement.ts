import { sql, type QueryExecutorProvider, type RawBuilder, type SqlBool } from 'kysely';
import type { CompiledObject } from '../metadata/compiled';
import { fieldsScope, type RuleContext } from '../metadata/rule-scope';
import { compileFilterToSql } from '../rules/sql';

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
 * The key of a filter's translation, or undefined when it reads $user, $now or $today (their
 * values are per call). Whether a filter is valid depends on which fields the caller may see.
 */
function translationKey(filter: unknown, hidden: ReadonlySet<string>): string | undefined {
  const key = `${[...hidden].sort().join(',')}|${JSON.stringify(filter)}`;
  return key.includes('"$') ? undefined : key;
}

/**
 * Checks and translates a filter (rule_invalid / filter_not_translatable as compileFilterToSql
 * throws them), from the cache when the same filter was translated for the same hidden fields.
 */
export function filterStatement(db: QueryExecutorProvider, object: CompiledObject, filter: unknown, context: RuleContext, hidden: ReadonlySet<string>): FilterStatement {
  const key = translationKey(filter, hidden);
  const cached = key !== undefined ? translations.get(object)?.get(key) : undefined;
  if (cached) return cached;
  const compiled = compileFilterToSql(filter, fieldsScope(object.fieldsByName, { context, hidden })).compile(db);
  const statement: FilterStatement = { text: compiled.sql, values: compiled.parameters };
  if (key !== undefined) {
    let byKey = translations.get(object);
    if (!byKey) translations.set(object, (byKey = new Map()));
    if (byKey.size >= MAX_TRANSLATIONS) byKey.clear();
    byKey.set(key, statement);
  }
  return statement;
}

/**
 * The filter as a condition of a larger statement, each of its values bound through `bind` (a
 * plain parameter, or a slot of a cached statement). The placeholders are numbered $1..$n in
 * order, as Kysely writes them; anything else means the text is not what this code expects.
 */
export function filterCondition(statement: FilterStatement, bind: (value: unknown) => RawBuilder<unknown>): RawBuilder<SqlBool> {
  const parts = statement.text.split(/\$(\d+)/);
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
