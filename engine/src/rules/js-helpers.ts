import type { JsHelpers } from './js-generator';
import * as runtime from './js-runtime';

/**
 * The helpers object generated rule code receives as its argument `h` (never looked up by name),
 * whether the code was evaluated on the server (compile-js.ts) or loaded as a standalone module
 * in a browser (core/module-compilers.ts). Only `evaluate` differs between the two: how a rule
 * met at run time (json-logic-js re-applies computed `missing` keys) is evaluated.
 */
export function ruleHelpers(evaluate: runtime.RuntimeEvaluator): JsHelpers {
  return Object.freeze({
    $truthy: runtime.truthy,
    $has: runtime.hasOwnProperty,
    $path: runtime.readPath,
    $substr: runtime.substr,
    $in: runtime.inOperation,
    $lower: runtime.asciiLower,
    $emptyProduct: runtime.emptyProduct,
    $filter: runtime.filterItems,
    $map: runtime.mapItems,
    $reduce: runtime.reduceItems,
    $all: runtime.allItems,
    $none: runtime.noneItems,
    $some: runtime.someItems,
    $missing: runtime.missingKeys,
    $missingSome: runtime.missingSome,
    $evaluate: evaluate,
    $pf: parseFloat,
    $min: Math.min,
    $max: Math.max,
    $getPrototypeOf: Object.getPrototypeOf,
    $String: String,
    $objectPrototype: Object.prototype,
  });
}
