/**
 * The operations a rule may use: json-logic-js 2.0.5's standard set, minus `log` (a side
 * effect) and `method` (calls arbitrary JavaScript methods), plus one of our own, `lower`
 * (ASCII case folding, for case-insensitive text filters; README "Operations"). Other custom
 * operations are not supported: a rule must mean the same in the browser, on the server and in SQL.
 */
export const RULE_OPERATIONS = Object.freeze([
  'var', 'missing', 'missing_some',
  'if', '?:', 'and', 'or', '!', '!!',
  '==', '===', '!=', '!==', '<', '<=', '>', '>=',
  'max', 'min', '+', '-', '*', '/', '%',
  'cat', 'substr', 'in', 'merge',
  'map', 'filter', 'reduce', 'all', 'none', 'some',
  'lower',
] as const);

export type RuleOperation = (typeof RULE_OPERATIONS)[number];

const known: ReadonlySet<string> = new Set(RULE_OPERATIONS);

export function isRuleOperation(name: string): name is RuleOperation {
  return known.has(name);
}

/** Operations whose second argument is evaluated once per array item, with the item as data. */
export const ITERATING_OPERATIONS: ReadonlySet<string> = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some']);

/**
 * json-logic-js's notion of "this object is an operation": a plain object with exactly one key.
 * Objects with zero or several keys are literal values and are returned as they are.
 */
export function operationOf(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 ? keys[0] : undefined;
}

/** The arguments of an operation node, normalised the way json-logic-js does (`{"!": x}` is `{"!": [x]}`). */
export function argumentsOf(node: object, operation: string): readonly unknown[] {
  const values = (node as Record<string, unknown>)[operation];
  return Array.isArray(values) ? values : [values];
}

export { pointerToken } from '../documents/json-pointer';
