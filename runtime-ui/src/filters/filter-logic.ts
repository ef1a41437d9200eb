import dayjs, { type Dayjs } from 'dayjs';
import { asciiLower } from '@crm/engine/core';
import { emptyGroup, isComplete, ME, type FilterCondition, type FilterGroup, type FilterKind, type FilterNode, type FilterOperator } from './filter-tree';

/**
 * The builder's tree to JSON-Logic and back. Only forms the records API translates to SQL are
 * produced (see engine/src/rules/README.md "The SQL subset"): `== != < <= > >=` (and the
 * three-argument `<=` for ranges), `in` on a literal list, substring `in` on text, membership `in`
 * on a multiselect, `! and or`, and the context variables `$user.id` and `$today`. No `substr`
 * (refused in SQL): "starts with" is the exact code-unit range [prefix, successor of prefix).
 * Text contains / does not contain / starts with ignore case: they read the field through the
 * engine's `lower` (ASCII A-Z only, as SQL and JavaScript can fold alike) and fold the operand
 * with the same function, so "contains acme" finds "ACME Corp" (É and Ä still match only themselves).
 */
export type KindOf = (field: string) => FilterKind | undefined;

export interface LogicOptions {
  /** The moment relative dates are taken from (default: now). */
  readonly now?: Date;
  /** First day of the week, 0 = Sunday, 1 = Monday (default). */
  readonly weekStartsOn?: number;
}

type Rule = unknown;
const v = (field: string) => ({ var: field });
const DATE = 'YYYY-MM-DD';

/** The operand and field of a text condition: folded both, or as they are for a matchCase one. */
function textParts(condition: FilterCondition): [string, Rule] {
  const text = String(condition.value);
  return condition.matchCase ? [text, v(condition.field)] : [asciiLower(text) ?? '', { lower: v(condition.field) }];
}

/** The next string in code-unit order after every string starting with `prefix`. */
function successor(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(Math.min(last + 1, 0xffff));
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A date operand (dayjs, Date or text) as YYYY-MM-DD. */
function dateText(value: unknown): string | undefined {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  const d = dayjs(value as Dayjs | Date | undefined);
  return value !== undefined && d.isValid() ? d.format(DATE) : undefined;
}

/** A datetime operand: an instant kept as written, a calendar date as the local midnight it begins with. */
function instantText(value: unknown, endOfDay = false): string | undefined {
  if (typeof value === 'string' && value.length > 10 && dayjs(value).isValid()) return value;
  const date = dateText(value);
  if (!date) return undefined;
  const start = dayjs(date, DATE).startOf('day');
  return (endOfDay ? start.add(1, 'day') : start).toDate().toISOString();
}

/** The calendar days [first, last] a relative date operator covers, in the local calendar. */
export function relativeRange(operator: FilterOperator, n: unknown, options: LogicOptions = {}): [Dayjs, Dayjs] | undefined {
  const today = dayjs(options.now ?? new Date()).startOf('day');
  const weekStart = options.weekStartsOn ?? 1;
  switch (operator) {
    case 'today':
      return [today, today];
    case 'this_week': {
      const first = today.subtract((today.day() - weekStart + 7) % 7, 'day');
      return [first, first.add(6, 'day')];
    }
    case 'this_month':
      return [today.startOf('month'), today.endOf('month').startOf('day')];
    case 'last_month': {
      const last = today.startOf('month').subtract(1, 'month');
      return [last, last.endOf('month').startOf('day')];
    }
    case 'this_quarter': {
      const first = today.month(Math.floor(today.month() / 3) * 3).startOf('month');
      return [first, first.add(2, 'month').endOf('month').startOf('day')];
    }
    case 'this_year':
      return [today.startOf('year'), today.endOf('year').startOf('day')];
    case 'last_n_days': {
      const days = numberOf(n);
      if (days === undefined || days < 1) return undefined;
      return [today.subtract(Math.floor(days) - 1, 'day'), today];
    }
    default:
      return undefined;
  }
}

function dateRange(field: string, kind: FilterKind, first: Dayjs, last: Dayjs): Rule {
  if (kind === 'datetime') return { and: [{ '>=': [v(field), first.toDate().toISOString()] }, { '<': [v(field), last.add(1, 'day').toDate().toISOString()] }] };
  return { '<=': [first.format(DATE), v(field), last.format(DATE)] };
}

const COMPARISONS: Partial<Record<FilterOperator, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

function operand(kind: FilterKind, value: unknown, endOfDay = false): unknown {
  switch (kind) {
    case 'number':
      return numberOf(value);
    case 'date':
      return dateText(value);
    case 'datetime':
      return instantText(value, endOfDay);
    default:
      return value;
  }
}

function conditionLogic(condition: FilterCondition, kind: FilterKind, options: LogicOptions): Rule | undefined {
  if (!isComplete(condition)) return undefined;
  const { field, operator, value } = condition;
  const f = v(field);
  switch (operator) {
    case 'empty':
      return { '==': [f, null] };
    case 'not_empty':
      return { '!=': [f, null] };
    case 'is_true':
      return { '==': [f, true] };
    case 'is_false':
      return { '==': [f, false] };
    case 'contains':
    case 'not_contains': {
      const [needle, text] = textParts(condition);
      return operator === 'contains' ? { in: [needle, text] } : { '!': { in: [needle, text] } };
    }
    case 'starts_with': {
      const [prefix, text] = textParts(condition);
      return { and: [{ '<=': [prefix, text] }, { '<': [text, successor(prefix)] }] };
    }
    case 'in':
    case 'not_in': {
      const values = (Array.isArray(value) ? value : [value]).map(String);
      // A multiselect holds a list: `in` with the list second tests membership, one value at a time.
      const rule = kind === 'multiselect' ? (values.length === 1 ? { in: [values[0], f] } : { or: values.map((item) => ({ in: [item, f] })) }) : { in: [f, values] };
      return operator === 'in' ? rule : { '!': rule };
    }
    case 'equals':
    case 'not_equals': {
      const op = operator === 'equals' ? '==' : '!=';
      if (kind === 'reference' && value === ME) return { [op]: [f, v(ME)] };
      if (kind === 'datetime' && operator === 'equals') return dateRange(field, kind, dayjs(dateText(value), DATE), dayjs(dateText(value), DATE));
      const literal = operand(kind, value);
      return literal === undefined ? undefined : { [op]: [f, literal] };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      // "after a day" on a datetime means from the next day's start.
      const literal = operand(kind, value, kind === 'datetime' && (operator === 'gt' || operator === 'lte'));
      if (literal === undefined) return undefined;
      const op = kind === 'datetime' ? (operator === 'gt' ? '>=' : operator === 'lte' ? '<' : COMPARISONS[operator]!) : COMPARISONS[operator]!;
      return { [op]: [f, literal] };
    }
    case 'between': {
      if (kind === 'datetime') {
        const from = instantText(value);
        const to = instantText(condition.to, true);
        return from && to ? { and: [{ '>=': [f, from] }, { '<': [f, to] }] } : undefined;
      }
      const from = operand(kind, value);
      const to = operand(kind, condition.to);
      return from === undefined || to === undefined ? undefined : { '<=': [from, f, to] };
    }
    default: {
      // A date field compares with the server's `$today`, so a stored view keeps meaning "today".
      if (operator === 'today' && kind === 'date') return { '==': [f, v('$today')] };
      const range = relativeRange(operator, value, options);
      return range ? dateRange(field, kind, range[0], range[1]) : undefined;
    }
  }
}

/**
 * The JSON-Logic of a filter tree (undefined when it filters nothing). A group of one part is
 * that part; incomplete conditions and conditions on unknown fields are left out.
 */
export function filterToLogic(node: FilterNode, kindOf: KindOf, options: LogicOptions = {}): Rule | undefined {
  if (node.type === 'raw') return node.logic;
  if (node.type === 'condition') {
    const kind = kindOf(node.field);
    return kind ? conditionLogic(node, kind, options) : undefined;
  }
  const parts = node.children.map((child) => filterToLogic(child, kindOf, options)).filter((rule) => rule !== undefined);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return { [node.join]: parts };
}

// ---- JSON-Logic back to a tree (a view's stored filter in the builder) ----

function single(rule: unknown): [string, unknown[]] | undefined {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return undefined;
  const keys = Object.keys(rule);
  if (keys.length !== 1) return undefined;
  const args = (rule as Record<string, unknown>)[keys[0]!];
  return [keys[0]!, Array.isArray(args) ? args : [args]];
}

function varName(node: unknown): string | undefined {
  const op = single(node);
  if (!op || op[0] !== 'var' || op[1].length !== 1 || typeof op[1][0] !== 'string') return undefined;
  return op[1][0];
}

/**
 * A text field as a text condition reads it: through `lower` (ignoring case), or plainly (the
 * case-sensitive form written before, read as a matchCase condition).
 */
function textRead(node: unknown, kindOf: KindOf): { field: string; matchCase: boolean } | undefined {
  const plain = varName(node);
  const op = single(node);
  const field = plain ?? (op?.[0] === 'lower' && op[1].length === 1 ? varName(op[1][0]) : undefined);
  return field && kindOf(field) === 'text' ? { field, matchCase: plain !== undefined } : undefined;
}

/** A text operand the read matches: any text as it is, or one already folded (else the rule is not ours). */
const fitsRead = (text: unknown, read: { matchCase: boolean }): text is string => typeof text === 'string' && (read.matchCase || asciiLower(text) === text);

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const REVERSE: Record<string, FilterOperator> = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };

function condition(field: string, operator: FilterOperator, value?: unknown, to?: unknown, matchCase = false): FilterCondition {
  return { type: 'condition', field, operator, ...(value !== undefined ? { value } : {}), ...(to !== undefined ? { to } : {}), ...(matchCase ? { matchCase } : {}) };
}

function parseCondition(rule: unknown, kindOf: KindOf): FilterCondition | undefined {
  const op = single(rule);
  if (!op) return undefined;
  const [name, args] = op;
  if (name === '!' && args.length === 1) {
    const inner = parseCondition(args[0], kindOf);
    if (inner?.operator === 'in') return { ...inner, operator: 'not_in' };
    if (inner?.operator === 'contains') return { ...inner, operator: 'not_contains' };
    return undefined;
  }
  if (name === 'in' && args.length === 2) {
    const [needle, haystack] = args;
    const field = varName(needle);
    if (field && Array.isArray(haystack) && haystack.every((item) => typeof item === 'string')) {
      const kind = kindOf(field);
      return kind === 'select' || kind === 'text' ? condition(field, 'in', haystack) : undefined;
    }
    const text = textRead(haystack, kindOf);
    if (text && fitsRead(needle, text)) return condition(text.field, 'contains', needle, undefined, text.matchCase);
    const listField = varName(haystack);
    if (listField && typeof needle === 'string' && kindOf(listField) === 'multiselect') return condition(listField, 'in', [needle]);
    return undefined;
  }
  if (name === 'or' && args.length > 1) {
    // A multiselect holding any of several values.
    const parts = args.map((arg) => parseCondition(arg, kindOf));
    const field = parts[0]?.field;
    if (field && kindOf(field) === 'multiselect' && parts.every((p) => p?.field === field && p.operator === 'in')) {
      return condition(field, 'in', parts.flatMap((p) => p!.value as string[]));
    }
    return undefined;
  }
  if (name === 'and' && args.length === 2) {
    // starts with: [prefix, successor(prefix))
    const low = single(args[0]);
    const high = single(args[1]);
    if (low?.[0] === '<=' && high?.[0] === '<' && low[1].length === 2 && high[1].length === 2) {
      const text = textRead(low[1][1], kindOf);
      const prefix = low[1][0];
      if (text && fitsRead(prefix, text) && prefix !== '' && sameJson(high[1][0], low[1][1]) && high[1][1] === successor(prefix)) {
        return condition(text.field, 'starts_with', prefix, undefined, text.matchCase);
      }
    }
    return undefined;
  }
  if (name === '<=' && args.length === 3) {
    const field = varName(args[1]);
    const kind = field ? kindOf(field) : undefined;
    if (field && (kind === 'number' || kind === 'date') && isScalar(args[0]) && isScalar(args[2]) && args[0] !== null && args[2] !== null) return condition(field, 'between', args[0], args[2]);
    return undefined;
  }
  if (args.length !== 2) return undefined;
  const field = varName(args[0]);
  if (!field) return undefined;
  const kind = kindOf(field);
  if (!kind) return undefined;
  const operand = args[1];
  const contextVar = varName(operand);
  if (name === '==' || name === '===' || name === '!=' || name === '!==') {
    const negated = name.startsWith('!');
    if (contextVar === ME && kind === 'reference') return condition(field, negated ? 'not_equals' : 'equals', ME);
    if (contextVar === '$today' && kind === 'date' && !negated) return condition(field, 'today');
    if (contextVar !== undefined || !isScalar(operand)) return undefined;
    if (operand === null) return condition(field, negated ? 'not_empty' : 'empty');
    if (kind === 'boolean' && typeof operand === 'boolean') return condition(field, operand !== negated ? 'is_true' : 'is_false');
    if (kind === 'select') return condition(field, negated ? 'not_in' : 'in', [String(operand)]);
    if (kind === 'datetime' || kind === 'multiselect' || kind === 'boolean') return undefined;
    return condition(field, negated ? 'not_equals' : 'equals', operand);
  }
  const comparison = REVERSE[name];
  if (comparison && isScalar(operand) && operand !== null && contextVar === undefined && (kind === 'number' || kind === 'date' || kind === 'datetime')) {
    return condition(field, comparison, operand);
  }
  return undefined;
}

function parseNode(rule: unknown, kindOf: KindOf): FilterNode {
  const parsed = parseCondition(rule, kindOf);
  if (parsed) return parsed;
  const op = single(rule);
  if (op && (op[0] === 'and' || op[0] === 'or') && op[1].length > 0) {
    return { type: 'group', join: op[0], children: op[1].map((part) => parseNode(part, kindOf)) };
  }
  return { type: 'raw', logic: rule };
}

/**
 * A stored JSON-Logic filter as a tree whose root is a group. Parts the builder cannot show
 * become `raw` nodes, applied as they are, so `filterToLogic(logicToFilter(rule))` is the rule
 * (up to a group of one part written as that part).
 */
export function logicToFilter(rule: unknown, kindOf: KindOf): FilterGroup {
  if (rule === undefined || rule === null) return emptyGroup();
  const node = parseNode(rule, kindOf);
  return node.type === 'group' ? node : { type: 'group', join: 'and', children: [node] };
}
