import { CrmError, reason } from '../errors';
import * as runtime from './js-runtime';
import { argumentsOf, operationOf } from './operations';

/**
 * The JavaScript generator behind compileRule: one method per operation, each returning the
 * source of an expression. Literals enter the source only through JSON.stringify or
 * numberLiteral; everything else is a name this generator made up or a helper passed in.
 */

/** The helpers generated code calls (see compile-js.ts). */
export interface JsHelpers {
  readonly $truthy: typeof runtime.truthy;
  readonly $has: typeof runtime.hasOwnProperty;
  readonly $path: typeof runtime.readPath;
  readonly $substr: typeof runtime.substr;
  readonly $in: typeof runtime.inOperation;
  readonly $lower: typeof runtime.asciiLower;
  readonly $emptyProduct: typeof runtime.emptyProduct;
  readonly $filter: typeof runtime.filterItems;
  readonly $map: typeof runtime.mapItems;
  readonly $reduce: typeof runtime.reduceItems;
  readonly $all: typeof runtime.allItems;
  readonly $none: typeof runtime.noneItems;
  readonly $some: typeof runtime.someItems;
  readonly $missing: typeof runtime.missingKeys;
  readonly $missingSome: typeof runtime.missingSome;
  readonly $evaluate: runtime.RuntimeEvaluator;
  readonly $pf: typeof parseFloat;
  readonly $min: typeof Math.min;
  readonly $max: typeof Math.max;
  readonly $getPrototypeOf: typeof Object.getPrototypeOf;
  readonly $objectPrototype: object;
  readonly $String: typeof String;
}
type HelperName = keyof JsHelpers;

/** A rule compiled for its value, or for its truthiness only (conditions). */
export type RuleMode = 'value' | 'boolean';

/** One generated rule: see JsProgram.generate. */
export interface RuleSource {
  readonly body: string;
  /** What the body reads as `k[i]`: frozen literal objects and arrays, and Sets of literals. */
  readonly constants: readonly unknown[];
}

/**
 * What the generator knows about an expression. `unknown` may also be undefined (`{"and": []}`);
 * every other type is definite. `pure` expressions cannot throw, so they may be skipped or
 * deferred where json-logic-js evaluates an argument it then ignores.
 */
type JsType = 'boolean' | 'number' | 'string' | 'array' | 'null' | 'object' | 'unknown';
interface Expr {
  readonly code: string;
  readonly type: JsType;
  readonly pure: boolean;
}

/** Types whose JavaScript truthiness is JSON-Logic's (arrays differ: [] is falsy here). */
const JS_TRUTHINESS_AGREES: ReadonlySet<JsType> = new Set(['boolean', 'number', 'string', 'null']);
const UNDEFINED: Expr = { code: 'undefined', type: 'unknown', pure: true };
const NULL: Expr = { code: 'null', type: 'null', pure: true };
/** Sets pay off over a chain of `===` from about this many literal items. */
const SET_THRESHOLD = 8;

/** One generated JavaScript function: the rule itself, or the per-item logic of an iteration. */
class JsFunction {
  #temps = 0;
  constructor(
    readonly program: JsProgram,
    readonly data: string,
  ) {}

  temp(): string {
    return `t${this.data.slice(1)}_${this.#temps++}`;
  }

  declarations(): string {
    const names = Array.from({ length: this.#temps }, (_, i) => `t${this.data.slice(1)}_${i}`);
    return names.length > 0 ? `let ${names.join(', ')};` : '';
  }
}

export class JsProgram {
  readonly #constants: unknown[] = [];
  readonly #helpers = new Set<HelperName>();
  readonly #functions: string[] = [];
  #functionCount = 0;

  build(rule: unknown, mode: RuleMode, helpers: JsHelpers): (data?: unknown) => unknown {
    const { body, constants } = this.generate(rule, mode);
    // eslint-disable-next-line no-new-func -- the source is generated from literals only.
    const factory = new Function('h', 'k', body) as (h: JsHelpers, k: readonly unknown[]) => (data?: unknown) => unknown;
    return factory(helpers, constants);
  }

  /**
   * The rule as the body of a function of `h` (the helpers) and `k` (the constants) that returns
   * the rule function: evaluated here by build(), or written into a standalone module
   * (standalone-module.ts) for pages that forbid eval. Call once per JsProgram.
   */
  generate(rule: unknown, mode: RuleMode): RuleSource {
    const main = new JsFunction(this, 'd0');
    const body = mode === 'boolean' ? this.bool(rule, main) : this.value(rule, main).code;
    const source = [
      '"use strict";',
      ...[...this.#helpers].map((name) => `const ${name} = h.${name};`),
      ...this.#constants.map((_, i) => `const k${i} = k[${i}];`),
      ...this.#functions,
      `return function rule(d0) { ${main.declarations()} return ${body}; };`,
    ].join('\n');
    return { body: source, constants: this.#constants };
  }

  helper(name: HelperName): string {
    this.#helpers.add(name);
    return name;
  }

  constant(value: unknown): string {
    this.#constants.push(value);
    return `k${this.#constants.length - 1}`;
  }

  /** Compiles per-item logic into a named function of the item; returns its name. */
  itemFunction(rule: unknown, present: boolean, mode: 'value' | 'boolean'): string {
    const id = ++this.#functionCount;
    const fn = new JsFunction(this, `d${id}`);
    const body = !present ? (mode === 'boolean' ? 'false' : 'undefined') : mode === 'boolean' ? this.bool(rule, fn) : this.value(rule, fn).code;
    this.#functions.push(`function f${id}(d${id}) { ${fn.declarations()} return ${body}; }`);
    return `f${id}`;
  }

  // ---- values --------------------------------------------------------------------------------

  value(node: unknown, fn: JsFunction): Expr {
    if (Array.isArray(node)) {
      const items = node.map((item) => this.value(item, fn));
      return { code: `[${items.map((i) => i.code).join(', ')}]`, type: 'array', pure: items.every((i) => i.pure) };
    }
    const operation = operationOf(node);
    if (operation === undefined) return this.literal(node);
    const args = argumentsOf(node as object, operation);
    switch (operation) {
      case 'var':
        return this.variable(args, fn);
      case 'if':
      case '?:':
        return this.conditional(args, fn, 'value');
      case 'and':
      case 'or':
        return this.logical(operation, args, fn);
      case '!':
      case '!!':
      case '==':
      case '===':
      case '!=':
      case '!==':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case 'in':
      case 'all':
      case 'none':
      case 'some':
        return { code: this.bool(node, fn), type: 'boolean', pure: false };
      case '+':
        return this.sum(args, fn);
      case '*':
        return this.product(args, fn);
      case '-':
        return this.difference(args, fn);
      case '/':
      case '%': {
        const [a, b] = this.eager(args, 2, fn);
        return { code: `(${a!.code} ${operation} ${b!.code})`, type: 'number', pure: false };
      }
      case 'min':
      case 'max': {
        const values = this.eager(args, args.length, fn);
        return { code: `${this.helper(operation === 'min' ? '$min' : '$max')}(${values.map((v) => v.code).join(', ')})`, type: 'number', pure: false };
      }
      case 'cat':
        return this.concatenation(args, fn);
      case 'substr': {
        const [source, start, end] = this.eager(args, 3, fn);
        return { code: `${this.helper('$substr')}(${source!.code}, ${start!.code}, ${end!.code})`, type: 'string', pure: false };
      }
      case 'lower':
        return this.lowerCase(args, fn);
      case 'merge': {
        const values = this.eager(args, args.length, fn);
        return { code: `[].concat(${values.map((v) => v.code).join(', ')})`, type: 'array', pure: values.every((v) => v.pure) };
      }
      case 'missing':
        return this.missing(args, fn);
      case 'missing_some': {
        const [need, options] = this.eager(args, 2, fn);
        const call = `${this.helper('$missingSome')}(${fn.data}, ${need!.code}, ${options!.code}, ${this.helper('$evaluate')})`;
        return { code: call, type: 'array', pure: false };
      }
      case 'map':
      case 'filter':
      case 'reduce':
        return this.iteration(operation, args, fn);
      default:
        // Unreachable: inspectRule refused unknown operations before generation started.
        throw new CrmError('rule_invalid', {}, [{ path: '', code: 'invalid', params: { reason: reason('unknown_operation', { operation }) } }]);
    }
  }

  literal(value: unknown): Expr {
    if (value === null) return NULL;
    switch (typeof value) {
      case 'boolean':
        return { code: String(value), type: 'boolean', pure: true };
      case 'number':
        return { code: numberLiteral(value), type: 'number', pure: true };
      case 'string':
        return { code: JSON.stringify(value), type: 'string', pure: true };
      case 'undefined':
        return UNDEFINED;
      default:
        // A literal object (zero or several keys): json-logic-js returns the rule's own object,
        // so we return one frozen copy of it on every call.
        return { code: this.constant(runtime.frozenCopy(value)), type: 'object', pure: true };
    }
  }

  /**
   * Evaluates the first `count` arguments in order (missing ones are undefined) and keeps any
   * later, ignored ones that could throw, since json-logic-js evaluates every argument.
   */
  eager(args: readonly unknown[], count: number, fn: JsFunction): Expr[] {
    const used: Expr[] = [];
    for (let i = 0; i < count; i++) used.push(i < args.length ? this.value(args[i], fn) : UNDEFINED);
    const ignored = args.slice(count).map((arg) => this.value(arg, fn)).filter((e) => !e.pure);
    if (ignored.length > 0 && used.length > 0) {
      const last = used.length - 1;
      const t = fn.temp();
      used[last] = { ...used[last]!, code: `(${t} = ${used[last]!.code}, ${ignored.map((e) => e.code).join(', ')}, ${t})`, pure: false };
    }
    return used;
  }

  variable(args: readonly unknown[], fn: JsFunction): Expr {
    const path = args[0];
    const fallback = args.length > 1 ? this.value(args[1], fn) : undefined;
    const extra = args.slice(2).map((a) => this.value(a, fn)).filter((e) => !e.pure);
    const withExtra = (e: Expr): Expr => (extra.length === 0 ? e : { ...e, code: `(${[...extra.map((x) => x.code), e.code].join(', ')})`, pure: false });

    if (path !== null && typeof path === 'object') {
      // A path computed at run time.
      const p = this.value(path, fn);
      return withExtra({ code: `${this.helper('$path')}(${fn.data}, ${p.code}, ${fallback?.code ?? 'undefined'})`, type: 'unknown', pure: false });
    }
    if (path === undefined || path === '' || path === null) {
      // The whole data; json-logic-js evaluates (and ignores) the default.
      const e: Expr = { code: fn.data, type: 'unknown', pure: true };
      return withExtra(fallback && !fallback.pure ? { code: `(${fallback.code}, ${fn.data})`, type: 'unknown', pure: false } : e);
    }

    // The default is `b === undefined ? null : b`, evaluated before the lookup when it could throw.
    let notFound = NULL.code;
    let prelude = '';
    if (fallback) {
      const mayBeUndefined = fallback.type === 'unknown';
      if (fallback.pure) {
        notFound = mayBeUndefined ? `(${fallback.code} ?? null)` : fallback.code;
      } else {
        const tf = fn.temp();
        prelude = `${tf} = ${fallback.code}, `;
        notFound = mayBeUndefined ? `(${tf} ?? null)` : tf;
      }
    }
    // One temporary per step keeps each monomorphic, which V8 optimises far better.
    let holder = fn.data;
    const steps = String(path)
      .split('.')
      .map((key) => {
        const t = fn.temp();
        const step = `${holder} != null && (${t} = ${holder}[${JSON.stringify(key)}]) !== undefined && ${this.ownCheck(holder, key)}`;
        holder = t;
        return step;
      });
    const code = `(${prelude}${steps.join(' && ')} ? ${holder} : ${notFound})`;
    return withExtra({ code, type: 'unknown', pure: fallback ? fallback.pure : true });
  }

  /**
   * Whether a value read from `holder[key]` is its own property. A plain object (prototype
   * Object.prototype) can only inherit names Object.prototype has, so for any other name the
   * prototype test suffices and is nearly free; anything else asks hasOwnProperty.
   */
  ownCheck(holder: string, key: string): string {
    const has = `${this.helper('$has')}(${holder}, ${JSON.stringify(key)})`;
    if (key in Object.prototype) return has;
    this.helper('$getPrototypeOf');
    this.helper('$objectPrototype');
    return `($getPrototypeOf(${holder}) === $objectPrototype || ${has})`;
  }

  conditional(args: readonly unknown[], fn: JsFunction, mode: 'value'): Expr;
  conditional(args: readonly unknown[], fn: JsFunction, mode: 'boolean'): string;
  conditional(args: readonly unknown[], fn: JsFunction, mode: 'value' | 'boolean'): Expr | string {
    const branch = (node: unknown): Expr =>
      mode === 'boolean' ? { code: this.bool(node, fn), type: 'boolean', pure: false } : this.value(node, fn);
    const parts: string[] = [];
    const types = new Set<JsType>();
    let pure = true;
    let i = 0;
    for (; i < args.length - 1; i += 2) {
      const then = branch(args[i + 1]);
      parts.push(`${this.bool(args[i], fn)} ? ${then.code} : `);
      types.add(then.type);
      pure = false;
    }
    const otherwise = args.length === i + 1 ? branch(args[i]) : mode === 'boolean' ? { code: 'false', type: 'boolean' as const, pure: true } : NULL;
    types.add(otherwise.type);
    pure = pure && otherwise.pure;
    const code = parts.length === 0 ? otherwise.code : `(${parts.join('')}${otherwise.code})`;
    if (mode === 'boolean') return code;
    return { code, type: types.size === 1 ? [...types][0]! : 'unknown', pure };
  }

  logical(operation: 'and' | 'or', args: readonly unknown[], fn: JsFunction): Expr {
    // Returns the first falsy (and) / truthy (or) value, else the last; undefined when empty.
    if (args.length === 0) return UNDEFINED;
    const values = args.map((arg) => this.value(arg, fn));
    const last = values[values.length - 1]!;
    if (values.slice(0, -1).every((v) => JS_TRUTHINESS_AGREES.has(v.type))) {
      // JavaScript's && and || already return the deciding operand; only [] is truthy to them.
      const types = new Set(values.map((v) => v.type));
      return {
        code: `(${values.map((v) => v.code).join(operation === 'and' ? ' && ' : ' || ')})`,
        type: types.size === 1 ? last.type : 'unknown',
        pure: values.every((v) => v.pure),
      };
    }
    let code = last.code;
    const types = new Set<JsType>([last.type]);
    for (let i = values.length - 2; i >= 0; i--) {
      const v = values[i]!;
      types.add(v.type);
      const t = fn.temp();
      const test = truthyCode({ code: t, type: v.type, pure: true }, this);
      code = operation === 'and' ? `(${t} = ${v.code}, ${test} ? ${code} : ${t})` : `(${t} = ${v.code}, ${test} ? ${t} : ${code})`;
    }
    return { code, type: types.size === 1 ? [...types][0]! : 'unknown', pure: values.every((v) => v.pure) };
  }

  sum(args: readonly unknown[], fn: JsFunction): Expr {
    // json-logic-js: reduce((a, b) => parseFloat(a) + parseFloat(b), 0). parseFloat of the
    // running number is the number itself except -0, which `0 + ...` never produces.
    const values = this.eager(args, args.length, fn);
    const terms = values.map((v) => (v.type === 'number' ? v.code : this.parseFloatCode(v, fn)));
    return { code: `(0 + ${terms.join(' + ') || '0'})`, type: 'number', pure: values.every((v) => v.pure && v.type === 'number') };
  }

  product(args: readonly unknown[], fn: JsFunction): Expr {
    if (args.length === 0) return { code: `${this.helper('$emptyProduct')}()`, type: 'number', pure: false };
    const values = this.eager(args, args.length, fn);
    // reduce without an initial value: one argument comes back untouched, not parsed.
    if (values.length === 1) return values[0]!;
    // parseFloat(x) for a number x is x + 0 (only -0 changes, to 0).
    const parsed = values.map((v) => (v.type === 'number' ? `(${v.code} + 0)` : this.parseFloatCode(v, fn)));
    let code = `(${parsed[0]} * ${parsed[1]})`;
    for (let i = 2; i < parsed.length; i++) code = `((${code} + 0) * ${parsed[i]})`;
    return { code, type: 'number', pure: values.every((v) => v.pure && v.type === 'number') };
  }

  /** parseFloat(x), skipping the string round trip when x is already a number (x + 0 drops -0). */
  parseFloatCode(v: Expr, fn: JsFunction): string {
    const t = fn.temp();
    return `(typeof (${t} = ${v.code}) === "number" ? ${t} + 0 : ${this.helper('$pf')}(${t}))`;
  }

  difference(args: readonly unknown[], fn: JsFunction): Expr {
    const [a, b] = this.eager(args, 2, fn);
    if (args.length < 2) return { code: `(-${a!.code})`, type: 'number', pure: false };
    if (b!.type !== 'unknown') return { code: `(${a!.code} - ${b!.code})`, type: 'number', pure: false };
    const ta = fn.temp();
    const tb = fn.temp();
    return { code: `(${ta} = ${a!.code}, (${tb} = ${b!.code}) === undefined ? -${ta} : ${ta} - ${tb})`, type: 'number', pure: false };
  }

  concatenation(args: readonly unknown[], fn: JsFunction): Expr {
    const values = this.eager(args, args.length, fn);
    const parts = values.map((v, i) => {
      const arg = args[i];
      if (operationOf(arg) === undefined && !Array.isArray(arg) && (arg === null || typeof arg !== 'object')) {
        return JSON.stringify(runtime.joinPart(arg));
      }
      if (v.type === 'string') return v.code;
      // Array.prototype.join's conversion, inlined: null and undefined become "".
      const t = fn.temp();
      return `(typeof (${t} = ${v.code}) === "string" ? ${t} : ${t} == null ? "" : ${this.helper('$String')}(${t}))`;
    });
    return { code: `("" + ${parts.join(' + ') || '""'})`, type: 'string', pure: values.every((v) => v.pure && (v.type === 'string' || v.type === 'number' || v.type === 'boolean' || v.type === 'null')) };
  }

  lowerCase(args: readonly unknown[], fn: JsFunction): Expr {
    const [value] = this.eager(args, 1, fn);
    const t = value!.type;
    if (t === 'null') return value!.pure ? NULL : { code: `(${value!.code}, null)`, type: 'null', pure: false };
    // String() of a primitive cannot throw; of an object it calls its toString.
    const primitive = t === 'string' || t === 'number' || t === 'boolean';
    return { code: `${this.helper('$lower')}(${value!.code})`, type: primitive ? 'string' : 'unknown', pure: value!.pure && primitive };
  }

  missing(args: readonly unknown[], fn: JsFunction): Expr {
    const keys = literalKeys(args);
    if (keys) {
      const list = fn.temp();
      const steps = [`${list} = []`, ...keys.map((key) => `${this.isMissing(key, fn)} && ${list}.push(${keyLiteral(key)})`), list];
      return { code: `(${steps.join(', ')})`, type: 'array', pure: true };
    }
    const values = this.eager(args, args.length, fn);
    const call = `${this.helper('$missing')}(${fn.data}, [${values.map((v) => v.code).join(', ')}], ${this.helper('$evaluate')})`;
    return { code: call, type: 'array', pure: false };
  }

  isMissing(key: string | number, fn: JsFunction): string {
    const t = fn.temp();
    return `((${t} = ${this.variable([key], fn).code}) === null || ${t} === "")`;
  }

  iteration(operation: 'map' | 'filter' | 'reduce', args: readonly unknown[], fn: JsFunction): Expr {
    const items = this.value(args[0], fn);
    const item = this.itemFunction(args[1], args.length > 1, operation === 'filter' ? 'boolean' : 'value');
    if (operation === 'filter') return { code: `${this.helper('$filter')}(${items.code}, ${item})`, type: 'array', pure: false };
    if (operation === 'map') return { code: `${this.helper('$map')}(${items.code}, ${item})`, type: 'array', pure: false };
    const initial = args.length > 2 && args[2] !== undefined ? this.value(args[2], fn) : NULL;
    return { code: `${this.helper('$reduce')}(${items.code}, ${item}, ${initial.code})`, type: 'unknown', pure: false };
  }

  // ---- truthiness ----------------------------------------------------------------------------

  /** JavaScript code for the JSON-Logic truthiness of `node`, as a real boolean. */
  bool(node: unknown, fn: JsFunction): string {
    const operation = operationOf(node);
    if (operation === undefined) {
      if (Array.isArray(node)) return truthyCode(this.value(node, fn), this);
      return runtime.truthy(node) ? 'true' : 'false';
    }
    const args = argumentsOf(node as object, operation);
    switch (operation) {
      case 'if':
      case '?:':
        return this.conditional(args, fn, 'boolean');
      case 'and':
      case 'or': {
        if (args.length === 0) return 'false';
        const joiner = operation === 'and' ? ' && ' : ' || ';
        return `(${args.map((arg) => this.bool(arg, fn)).join(joiner)})`;
      }
      case '!':
      case '!!': {
        const [a] = this.eager(args, 1, fn);
        const test = truthyCode(a!, this);
        return operation === '!' ? `!${test}` : test;
      }
      case '==':
      case '===':
      case '!=':
      case '!==': {
        const [a, b] = this.eager(args, 2, fn);
        const sameType = a!.type === b!.type && a!.type !== 'unknown' && a!.type !== 'array' && a!.type !== 'object';
        const op = sameType && operation.length === 2 ? `${operation}=` : operation;
        return `(${a!.code} ${op} ${b!.code})`;
      }
      case '>':
      case '>=': {
        const [a, b] = this.eager(args, 2, fn);
        return `(${a!.code} ${operation} ${b!.code})`;
      }
      case '<':
      case '<=':
        return this.between(operation, args, fn);
      case 'in':
        return this.membership(args, fn);
      case 'missing': {
        const keys = literalKeys(args);
        if (keys) return keys.length === 0 ? 'false' : `(${keys.map((key) => this.isMissing(key, fn)).join(' || ')})`;
        return truthyCode(this.value(node, fn), this);
      }
      case 'all':
      case 'none':
      case 'some': {
        const items = this.value(args[0], fn);
        const test = this.itemFunction(args[1], args.length > 1, 'boolean');
        const name = operation === 'all' ? '$all' : operation === 'none' ? '$none' : '$some';
        return `${this.helper(name)}(${items.code}, ${test})`;
      }
      default:
        return truthyCode(this.value(node, fn), this);
    }
  }

  between(operation: '<' | '<=', args: readonly unknown[], fn: JsFunction): string {
    const [a, b, c] = this.eager(args, 3, fn);
    if (args.length < 3) return `(${a!.code} ${operation} ${b!.code})`;
    const ta = fn.temp();
    const tb = fn.temp();
    if (c!.type !== 'unknown' && c!.pure) {
      return `(${ta} = ${a!.code}, ${tb} = ${b!.code}, ${ta} ${operation} ${tb} && ${tb} ${operation} ${c!.code})`;
    }
    const tc = fn.temp();
    return `(${ta} = ${a!.code}, ${tb} = ${b!.code}, ${tc} = ${c!.code}, ${tc} === undefined ? ${ta} ${operation} ${tb} : ${ta} ${operation} ${tb} && ${tb} ${operation} ${tc})`;
  }

  membership(args: readonly unknown[], fn: JsFunction): string {
    const haystack = args[1];
    if (Array.isArray(haystack) && haystack.every((item) => item === null || (typeof item !== 'object' && item !== undefined))) {
      // indexOf is strict equality: a chain of === (or a Set, SameValueZero, equal for JSON).
      const [needle] = this.eager([args[0], ...args.slice(2)], 1, fn);
      if (haystack.length === 0) return needle!.pure ? 'false' : `(${needle!.code}, false)`;
      if (haystack.length >= SET_THRESHOLD) return `${this.constant(new Set(haystack))}.has(${needle!.code})`;
      const t = fn.temp();
      return `(${t} = ${needle!.code}, ${haystack.map((item) => `${t} === ${this.literal(item).code}`).join(' || ')})`;
    }
    if (typeof haystack === 'string') {
      const [needle] = this.eager([args[0], ...args.slice(2)], 1, fn);
      if (haystack === '') return needle!.pure ? 'false' : `(${needle!.code}, false)`;
      return `(${JSON.stringify(haystack)}.indexOf(${needle!.code}) !== -1)`;
    }
    const [needle, hay] = this.eager(args, 2, fn);
    return `${this.helper('$in')}(${needle!.code}, ${hay!.code})`;
  }
}

function truthyCode(e: Expr, program: JsProgram): string {
  switch (e.type) {
    case 'boolean':
      return e.code;
    case 'null':
      return e.pure ? 'false' : `(${e.code}, false)`;
    case 'number':
    case 'string':
      return `!!${e.code}`;
    case 'object':
      return e.pure ? 'true' : `(${e.code}, true)`;
    case 'array':
      return `(${e.code}.length !== 0)`;
    default:
      return `${program.helper('$truthy')}(${e.code})`;
  }
}

/** Literal key names of a `missing`, when json-logic-js would use them unchanged. */
function literalKeys(args: readonly unknown[]): (string | number)[] | undefined {
  const keys = Array.isArray(args[0]) ? args[0] : args;
  if (Array.isArray(args[0]) && args.length > 1) return undefined;
  const isKey = (k: unknown) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k));
  return keys.every(isKey) ? (keys as (string | number)[]) : undefined;
}

function keyLiteral(key: string | number): string {
  return typeof key === 'number' ? numberLiteral(key) : JSON.stringify(key);
}

/** A JavaScript number literal that keeps -0 (JSON.stringify prints it as 0). */
export function numberLiteral(value: number): string {
  if (Object.is(value, -0)) return '(-0)';
  if (Number.isNaN(value)) return '(0/0)';
  if (!Number.isFinite(value)) return value > 0 ? '(1/0)' : '(-1/0)';
  return value < 0 ? `(${String(value)})` : String(value);
}
