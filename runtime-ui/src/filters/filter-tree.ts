/**
 * A filter as the builder edits it: nested and/or groups of conditions on one field each. It is
 * kept (in the URL and in saved views) in this form, so relative dates stay relative ("this month"
 * is next month's records next month); `filterToLogic` turns it into the JSON-Logic the records
 * API runs, with the dates of the moment it is called.
 */
export type FilterKind = 'text' | 'number' | 'date' | 'datetime' | 'select' | 'multiselect' | 'boolean' | 'reference';

export type FilterOperator =
  // text
  | 'contains'
  | 'not_contains'
  | 'starts_with'
  // any kind
  | 'equals'
  | 'not_equals'
  | 'empty'
  | 'not_empty'
  // number, date, datetime
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'between'
  // relative dates
  | 'today'
  | 'this_week'
  | 'this_month'
  | 'last_month'
  | 'this_quarter'
  | 'this_year'
  | 'last_n_days'
  // select, multiselect
  | 'in'
  | 'not_in'
  // boolean
  | 'is_true'
  | 'is_false';

export interface FilterCondition {
  readonly type: 'condition';
  readonly field: string;
  readonly operator: FilterOperator;
  /** The operand: text, number (as typed), date, option values, a record or user id, or ME. */
  readonly value?: unknown;
  /** The upper bound of `between`. */
  readonly to?: unknown;
  /**
   * Text conditions stored before text filters ignored case (plain `in` / code-unit range on the
   * field): kept case-sensitive, as saved, until the condition is edited.
   */
  readonly matchCase?: true;
}

export interface FilterGroup {
  readonly type: 'group';
  readonly join: 'and' | 'or';
  readonly children: readonly FilterNode[];
}

/** A part of a stored filter the builder cannot show as conditions: kept and applied as it is. */
export interface FilterRaw {
  readonly type: 'raw';
  readonly logic: unknown;
}

export type FilterNode = FilterCondition | FilterGroup | FilterRaw;

/** The signed-in user as a reference value: `{"var": "$user.id"}` in the rule. */
export const ME = '$user.id';

export const OPERATORS: Readonly<Record<FilterKind, readonly FilterOperator[]>> = {
  text: ['contains', 'not_contains', 'starts_with', 'equals', 'not_equals', 'empty', 'not_empty'],
  number: ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  date: ['equals', 'gt', 'gte', 'lt', 'lte', 'between', 'today', 'this_week', 'this_month', 'last_month', 'this_quarter', 'this_year', 'last_n_days', 'empty', 'not_empty'],
  datetime: ['gte', 'lt', 'between', 'today', 'this_week', 'this_month', 'last_month', 'this_quarter', 'this_year', 'last_n_days', 'empty', 'not_empty'],
  select: ['in', 'not_in', 'empty', 'not_empty'],
  multiselect: ['in', 'not_in', 'empty', 'not_empty'],
  boolean: ['is_true', 'is_false'],
  reference: ['equals', 'not_equals', 'empty', 'not_empty'],
};

/** Operators that take no operand. */
export const NO_VALUE: ReadonlySet<FilterOperator> = new Set(['empty', 'not_empty', 'today', 'this_week', 'this_month', 'last_month', 'this_quarter', 'this_year', 'is_true', 'is_false']);

export function emptyGroup(join: 'and' | 'or' = 'and'): FilterGroup {
  return { type: 'group', join, children: [] };
}

/** Whether a condition has what its operator needs (incomplete ones are left out of the rule). */
export function isComplete(condition: FilterCondition): boolean {
  if (NO_VALUE.has(condition.operator)) return true;
  const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
  if (condition.operator === 'between') return present(condition.value) && present(condition.to);
  return present(condition.value);
}
