/**
 * The helpers compiled rules call, passed into the generated code as arguments (never looked up
 * by name at run time). Each one mirrors the json-logic-js 2.0.5 operation of the same name
 * line for line; the comments mark where and why this project deliberately differs.
 */

import { isPlainObject } from './validate';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A literal object or array of a rule, deeply frozen: json-logic-js returns the rule's own
 * object, compiled rules return this one copy on every call. defineProperty, not assignment,
 * so a "__proto__" key stays an own property as in JSON.
 */
export function frozenCopy(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy));
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(copy, key, { value: frozenCopy(item), enumerable: true, writable: true, configurable: true });
    }
    return Object.freeze(copy);
  }
  return value;
}

/** JSON-Logic truthiness: JavaScript's, except that an empty array is false. */
export function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length !== 0 : !!value;
}

/** Evaluates a value computed at run time as a rule (json-logic-js re-applies `missing` keys). */
export type RuntimeEvaluator = (rule: unknown, data: unknown) => unknown;

/** A RuntimeEvaluator compiling each rule object once (scalars are their own value). */
export function cachingEvaluator(compile: (rule: object) => (data: unknown) => unknown): RuntimeEvaluator {
  const compiled = new WeakMap<object, (data: unknown) => unknown>();
  return (rule, data) => {
    if (rule === null || typeof rule !== 'object') return rule;
    let evaluate = compiled.get(rule);
    if (!evaluate) {
      evaluate = compile(rule);
      compiled.set(rule, evaluate);
    }
    return evaluate(data);
  };
}

/**
 * `var` with a path only known at run time. json-logic-js walks `data[key]`, which also reaches
 * inherited properties (`{"var": "constructor"}` returns Object); we read own properties only,
 * so a rule can never reach a prototype, a function or another record's shared state.
 */
export function readPath(data: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  if (path === undefined || path === '' || path === null) return data;
  const keys = String(path).split('.');
  let current = data;
  for (let i = 0; i < keys.length; i++) {
    if (current === null || current === undefined) return notFound;
    const key = keys[i]!;
    if (!hasOwn.call(current, key)) return notFound;
    current = (current as Record<string, unknown>)[key];
    if (current === undefined) return notFound;
  }
  return current;
}

/** Own-property test used by the inlined static `var` paths. */
export const hasOwnProperty = (value: unknown, key: string): boolean => hasOwn.call(value, key);

export function substr(source: unknown, start: unknown, end: unknown): string {
  // Negative `end` counts from the end, as in PHP (json-logic-js emulates it the same way).
  if ((end as number) < 0) {
    const temp = String(source).substr(start as number);
    return temp.substr(0, temp.length + (end as number));
  }
  return String(source).substr(start as number, end as number);
}

export function inOperation(needle: unknown, haystack: unknown): boolean {
  if (!haystack || typeof (haystack as { indexOf?: unknown }).indexOf === 'undefined') return false;
  return (haystack as { indexOf(value: unknown): number }).indexOf(needle) !== -1;
}

/** One `cat` argument: Array.prototype.join's conversion (null and undefined become ""). */
export function joinPart(value: unknown): string {
  return value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
}

const ASCII_UPPER = /[A-Z]/g;
const toLower = (letter: string) => String.fromCharCode(letter.charCodeAt(0) + 32);

/**
 * `lower`, the one operation json-logic-js lacks (README "Operations"): null and undefined give
 * null (so an empty field contains nothing), anything else `String(value)` with only ASCII A-Z
 * mapped to a-z. Unicode case mapping is deliberately left out: SQL's lower() follows the
 * database's locale, translate() over A-Z does not, so both sides fold exactly the same letters.
 */
export function asciiLower(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : String(value);
  return text.replace(ASCII_UPPER, toLower);
}

/** json-logic-js `*` without arguments reduces an empty array with no initial value: it throws. */
export function emptyProduct(): never {
  const none: number[] = [];
  return none.reduce((a, b) => a * b) as never;
}

export function filterItems(items: unknown, keep: (item: unknown) => boolean): unknown[] {
  return Array.isArray(items) ? items.filter(keep) : [];
}

export function mapItems(items: unknown, map: (item: unknown) => unknown): unknown[] {
  return Array.isArray(items) ? items.map(map) : [];
}

export function reduceItems(items: unknown, reducer: (data: unknown) => unknown, initial: unknown): unknown {
  if (!Array.isArray(items)) return initial;
  return items.reduce((accumulator: unknown, current: unknown) => reducer({ current, accumulator }), initial);
}

export function allItems(items: unknown, test: (item: unknown) => boolean): boolean {
  // All of an empty set is false in json-logic-js.
  if (!Array.isArray(items) || !items.length) return false;
  for (let i = 0; i < items.length; i++) if (!test(items[i])) return false;
  return true;
}

export function noneItems(items: unknown, test: (item: unknown) => boolean): boolean {
  if (!Array.isArray(items) || !items.length) return true;
  for (let i = 0; i < items.length; i++) if (test(items[i])) return false;
  return true;
}

export function someItems(items: unknown, test: (item: unknown) => boolean): boolean {
  if (!Array.isArray(items) || !items.length) return false;
  for (let i = 0; i < items.length; i++) if (test(items[i])) return true;
  return false;
}

/** `{"var": key}` applied to a key computed at run time, as json-logic-js's `missing` does. */
function readKey(data: unknown, key: unknown, evaluate: RuntimeEvaluator): unknown {
  if (key === null || typeof key !== 'object') return readPath(data, key, undefined);
  const args = Array.isArray(key) ? key.map((part) => evaluateValue(part, data, evaluate)) : [evaluate(key, data)];
  return readPath(data, args[0], args[1]);
}

function evaluateValue(value: unknown, data: unknown, evaluate: RuntimeEvaluator): unknown {
  return value === null || typeof value !== 'object' ? value : evaluate(value, data);
}

/** `missing` over evaluated arguments: one array argument is the key list, else the arguments are. */
export function missingKeys(data: unknown, values: readonly unknown[], evaluate: RuntimeEvaluator): unknown[] {
  const keys: readonly unknown[] = Array.isArray(values[0]) ? values[0] : values;
  const missing: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const value = readKey(data, keys[i], evaluate);
    if (value === null || value === '') missing.push(keys[i]);
  }
  return missing;
}

/** `missing_some`: json-logic-js re-applies the options as the arguments of a `missing`. */
export function missingSome(data: unknown, needCount: unknown, options: unknown, evaluate: RuntimeEvaluator): unknown[] {
  const values = (Array.isArray(options) ? options : [options]).map((value) => evaluateValue(value, data, evaluate));
  const areMissing = missingKeys(data, values, evaluate);
  if ((options as { length: number }).length - areMissing.length >= (needCount as number)) return [];
  return areMissing;
}
