import { CrmError, reason } from '../errors';
import * as runtime from './js-runtime';
import { argumentsOf, operationOf } from './operations';
import type { JsonLogicRule } from './scope';
import { inspectRule } from './validate';

/**
 * Rules that only exist at run time, where eval is forbidden (a page under `script-src 'self'`).
 * json-logic-js re-applies a `missing` key computed at run time as a rule (`{"missing": {"var":
 * "keys"}}` on data whose keys are themselves rules), so such a rule can be neither validated
 * when metadata is saved nor generated into the revision's module. Everywhere else the browser
 * runs the generated functions; this evaluator serves only those keys.
 *
 * It is json-logic-js 2.0.5's `apply`, turned into closures once per rule, with this project's
 * deliberate differences (README "Deliberate differences"): the same checks as compileRule
 * first (known operations, limits; `rule_invalid` otherwise), `var` through readPath (own
 * properties only), literal objects returned as one frozen copy. The operations call the same
 * runtime helpers the generated code calls; tests hold it to the generated code on the
 * conformance suites, in Node and in Chromium, and on random rules.
 */

type Evaluate = (data: unknown) => unknown;

/** Evaluates `rule` on `data`, compiling it to closures on first use (cached per rule object). */
export const evaluateWithClosures: runtime.RuntimeEvaluator = runtime.cachingEvaluator((rule) => compileToClosures(rule));

/** A checked rule as a function of the data (what compileRule returns, built without eval). */
export function compileToClosures(rule: JsonLogicRule): Evaluate {
  const issues = inspectRule(rule, undefined);
  if (issues.length > 0) throw new CrmError('rule_invalid', {}, issues);
  return build(rule);
}

/** Operations whose arguments are all evaluated first, in order, then combined. */
const EAGER: Readonly<Record<string, (data: unknown, v: unknown[]) => unknown>> = {
  var: (data, v) => runtime.readPath(data, v[0], v[1]),
  missing: (data, v) => runtime.missingKeys(data, v, evaluateWithClosures),
  missing_some: (data, v) => runtime.missingSome(data, v[0], v[1], evaluateWithClosures),
  '==': (_, v) => v[0] == v[1],
  '===': (_, v) => v[0] === v[1],
  '!=': (_, v) => v[0] != v[1],
  '!==': (_, v) => v[0] !== v[1],
  '>': (_, v) => (v[0] as number) > (v[1] as number),
  '>=': (_, v) => (v[0] as number) >= (v[1] as number),
  '<': (_, [a, b, c]) => (c === undefined ? (a as number) < (b as number) : (a as number) < (b as number) && (b as number) < (c as number)),
  '<=': (_, [a, b, c]) => (c === undefined ? (a as number) <= (b as number) : (a as number) <= (b as number) && (b as number) <= (c as number)),
  '!!': (_, v) => runtime.truthy(v[0]),
  '!': (_, v) => !runtime.truthy(v[0]),
  '%': (_, v) => (v[0] as number) % (v[1] as number),
  in: (_, v) => runtime.inOperation(v[0], v[1]),
  // Array.prototype.join: null and undefined become "", everything else String().
  cat: (_, v) => v.join(''),
  substr: (_, v) => runtime.substr(v[0], v[1], v[2]),
  lower: (_, v) => runtime.asciiLower(v[0]),
  '+': (_, v) => v.reduce((a, b) => parseFloat(a as string) + parseFloat(b as string), 0),
  '*': (_, v) => (v.length === 0 ? runtime.emptyProduct() : v.reduce((a, b) => parseFloat(a as string) * parseFloat(b as string))),
  '-': (_, [a, b]) => (b === undefined ? -(a as number) : (a as number) - (b as number)),
  '/': (_, v) => (v[0] as number) / (v[1] as number),
  min: (_, v) => Math.min(...(v as number[])),
  max: (_, v) => Math.max(...(v as number[])),
  merge: (_, v) => v.reduce((a: unknown[], b) => a.concat(b), []),
};

function build(node: unknown): Evaluate {
  if (Array.isArray(node)) {
    const items = node.map(build);
    return (data) => items.map((item) => item(data));
  }
  const operation = operationOf(node);
  if (operation === undefined) {
    const literal = runtime.frozenCopy(node);
    return () => literal;
  }
  const args = argumentsOf(node as object, operation);
  switch (operation) {
    case 'if':
    case '?:':
      return conditional(args.map(build));
    case 'and':
    case 'or':
      return logical(operation, args.map(build));
    case 'map':
    case 'filter':
    case 'reduce':
    case 'all':
    case 'none':
    case 'some':
      return iteration(operation, args);
  }
  const combine = EAGER[operation];
  // Unreachable: compileToClosures checked the operations first.
  if (!combine) throw new CrmError('rule_invalid', {}, [{ path: '', code: 'invalid', params: { reason: reason('unknown_operation', { operation }) } }]);
  const parts = args.map(build);
  return (data) => combine(data, parts.map((part) => part(data)));
}

function conditional(parts: readonly Evaluate[]): Evaluate {
  return (data) => {
    let i = 0;
    for (; i < parts.length - 1; i += 2) {
      if (runtime.truthy(parts[i]!(data))) return parts[i + 1]!(data);
    }
    return parts.length === i + 1 ? parts[i]!(data) : null;
  };
}

function logical(operation: 'and' | 'or', parts: readonly Evaluate[]): Evaluate {
  const stopWhen = operation === 'or';
  return (data) => {
    let current: unknown;
    for (const part of parts) {
      current = part(data);
      if (runtime.truthy(current) === stopWhen) return current;
    }
    return current;
  };
}

function iteration(operation: 'map' | 'filter' | 'reduce' | 'all' | 'none' | 'some', args: readonly unknown[]): Evaluate {
  const items = build(args[0]);
  // json-logic-js applies a missing per-item rule too: undefined, so every item is falsy.
  const each = args.length > 1 ? build(args[1]) : () => undefined;
  const test = (item: unknown) => runtime.truthy(each(item));
  switch (operation) {
    case 'map':
      return (data) => runtime.mapItems(items(data), each);
    case 'filter':
      return (data) => runtime.filterItems(items(data), test);
    case 'reduce': {
      const initial = args[2] !== undefined ? build(args[2]) : () => null;
      return (data) => {
        const list = items(data);
        return runtime.reduceItems(list, each, initial(data));
      };
    }
    case 'all':
      return (data) => runtime.allItems(items(data), test);
    case 'none':
      return (data) => runtime.noneItems(items(data), test);
    case 'some':
      return (data) => runtime.someItems(items(data), test);
  }
}
