import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { JsonLogicRule, RuleScope, ValueKind } from '../scope';
import { validateRule, type ValidateRuleOptions } from '../validate';
import { toSql } from './cond';
import { kindOfTerm } from './terms';
import { SqlTranslator } from './translate';

export interface FilterToSqlOptions extends ValidateRuleOptions {
  /** Qualifies every column (`"table"."column"`); a checked identifier or alias. */
  readonly table?: string;
}

/**
 * A WHERE condition selecting exactly the rows on which json-logic-js finds `rule` truthy
 * (rows seen as ValueKind describes them). It is never NULL, so it may be negated or combined
 * freely. Columns are quoted identifiers from the scope, every value a bound parameter.
 *
 * Throws `rule_invalid` for a rule that fails validateRule, and `filter_not_translatable` for
 * one outside the SQL subset (engine/src/rules/README.md), naming the operation.
 */
export function compileFilterToSql(rule: JsonLogicRule, scope: RuleScope, options: FilterToSqlOptions = {}): RawBuilder<SqlBool> {
  validateRule(rule, scope, options);
  return toSql(new SqlTranslator(scope, options.table).cond(rule));
}

export interface SqlValueExpression {
  readonly expression: RawBuilder<unknown>;
  /** How the value looks to rules; number expressions computed in SQL are double precision. */
  readonly kind: ValueKind;
}

/** The value of a rule as an SQL expression, e.g. to sort by a computed field. */
export function compileValueToSql(rule: JsonLogicRule, scope: RuleScope, options: FilterToSqlOptions = {}): SqlValueExpression {
  validateRule(rule, scope, options);
  const term = new SqlTranslator(scope, options.table).term(rule);
  if (term.tag === 'sql') return { expression: term.sql, kind: kindOfTerm(term) };
  return { expression: typedConstant(term.value), kind: kindOfTerm(term) };
}

/** A constant value as a typed parameter, so that the expression has a type of its own. */
function typedConstant(value: unknown): RawBuilder<unknown> {
  if (typeof value === 'number') return sql`${String(value)}::float8`;
  if (typeof value === 'boolean') return sql`${value}::boolean`;
  if (typeof value === 'string') return sql`${value}::text`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return sql`${value}::text[]`;
  if (value === null || value === undefined) return sql`null::text`;
  return sql`${JSON.stringify(value)}::jsonb`;
}
