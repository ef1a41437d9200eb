import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { reason } from '../../errors';
import { refuse } from './refuse';
import { truthy } from '../js-runtime';
import { argumentsOf, operationOf } from '../operations';
import type { RuleScope } from '../scope';
import * as C from './cond';
import type { Cond } from './cond';
import { arithmeticTerm, concatenationTerm, type ArithmeticOperation } from './arithmetic';
import { looselyEqual, relation, strictlyEqual, type Relation } from './js-compare';
import { lowerTerm } from './lower';
import { equalsAnyLiteral } from './membership';
import { truthySql } from './truthiness';
import { unify } from './unify';
import {
  boolTerm,
  classOf,
  columnTerm,
  constClass,
  constTerm,
  float8Param,
  isNotNull,
  isNull,
  overVariants,
  textOf,
  type ConstValue,
  type Sql,
  type SqlValue,
  type Term,
} from './terms';

function refuseOperation(operation: string): never {
  refuse(reason('sql_operation', { operation }));
}

const asBool = (s: Sql) => s as RawBuilder<SqlBool>;

/**
 * Translates a rule, node by node, into two-valued SQL that is TRUE exactly for the rows on
 * which json-logic-js finds the rule truthy. Values become terms (constants, or SQL with their
 * JavaScript type); conditions become `Cond`s. Whatever cannot be made exact is refused.
 */
export class SqlTranslator {
  readonly #expanding: string[] = [];
  /** Inside some/all/none: the current array item, which `var` then reads instead of the record. */
  readonly #items: Term[] = [];
  #aliases = 0;

  constructor(
    private readonly scope: RuleScope,
    private readonly table: string | undefined,
  ) {}

  // ---- conditions ------------------------------------------------------------------------

  /** The truthiness of a rule. */
  cond(node: unknown): Cond {
    if (Array.isArray(node)) {
      node.forEach((item) => this.term(item));
      return C.constant(node.length > 0);
    }
    const operation = operationOf(node);
    if (operation === undefined) return C.constant(truthy(node));
    const args = argumentsOf(node as object, operation);
    switch (operation) {
      case '!':
      case '!!': {
        this.ignored(args, 1);
        const value = args.length > 0 ? this.cond(args[0]) : C.FALSE;
        return operation === '!' ? C.not(value) : value;
      }
      case 'and':
        return C.and(...args.map((arg) => this.cond(arg)), args.length === 0 ? C.FALSE : C.TRUE);
      case 'or':
        return C.or(...args.map((arg) => this.cond(arg)));
      case 'if':
      case '?:':
        return this.conditional(args, 0);
      case '==':
      case '!=':
      case '===':
      case '!==': {
        const [a, b] = this.operands(args, 2);
        const equal = operation.length === 3 ? strictlyEqual : looselyEqual;
        const result = overVariants([a!, b!], ([x, y]) => equal(x!, y!, operation));
        return operation.startsWith('!') ? C.not(result) : result;
      }
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.relation(operation, args);
      case 'in':
        return this.membership(args);
      case 'missing':
        return this.missing(args);
      case 'missing_some':
        return this.missingSome(args);
      case 'some':
      case 'all':
      case 'none':
        return this.quantifier(operation, args);
      default:
        return this.truthiness(this.term(node));
    }
  }

  /**
   * some/all/none over a multiselect: the item logic runs per element of unnest(column), with
   * `{"var": ""}` as the element. Not an array (null included): some and all are false, none true.
   */
  quantifier(operation: 'some' | 'all' | 'none', args: readonly unknown[]): Cond {
    const items = args.length > 0 ? this.term(args[0]) : constTerm(undefined);
    const test = (item: Term): Cond => this.withItem(item, () => (args.length > 1 ? this.cond(args[1]) : C.FALSE));
    const combine = (perItem: Cond[]): Cond =>
      operation === 'some' ? C.or(...perItem) : operation === 'none' ? C.not(C.or(...perItem)) : perItem.length === 0 ? C.FALSE : C.and(...perItem);
    if (items.tag === 'const') return combine(Array.isArray(items.value) ? items.value.map((v) => test(constTerm(v))) : []);
    if (items.cls !== 'array') return combine([]);
    const alias = `rule_item_${++this.#aliases}`;
    const element: SqlValue = { tag: 'sql', cls: 'string', repr: 'text', sql: sql.id(alias, 'value'), nullable: true };
    const from = sql`unnest(${items.sql}) as ${sql.id(alias)}(${sql.id('value')})`;
    const perElement = test(element);
    if (operation === 'all') {
      const someFails = sql<SqlBool>`exists (select 1 from ${from} where ${C.toSql(C.not(perElement))})`;
      return C.and(C.raw(sql<SqlBool>`(coalesce(cardinality(${items.sql}), 0) > 0)`), C.not(C.raw(someFails)));
    }
    if (perElement.kind === 'const' && !perElement.value) return operation === 'some' ? C.FALSE : C.TRUE;
    const someHolds = C.raw(sql<SqlBool>`exists (select 1 from ${from} where ${C.toSql(perElement)})`);
    return operation === 'some' ? someHolds : C.not(someHolds);
  }

  withItem<T>(item: Term, run: () => T): T {
    this.#items.push(item);
    try {
      return run();
    } finally {
      this.#items.pop();
    }
  }

  /** `var` inside item logic: the item is a string (or a constant) - its own properties only. */
  itemVariable(item: Term, args: readonly unknown[]): Term {
    const path = args[0];
    const fallback = args.length > 1 ? this.term(args[1]) : constTerm(null);
    this.ignored(args, 2);
    if (path === undefined || path === null || path === '') return item;
    if (typeof path === 'object') refuse(reason('sql_computed_variable_name'));
    if (item.tag === 'const') {
      const found = ownPath(item.value, path);
      return found.found ? constTerm(found.value) : fallback;
    }
    const key = String(path);
    // A string's own properties are its length and its indexes; nothing else is found.
    if (key.split('.')[0] === 'length' || /^\d+$/.test(key.split('.')[0]!)) refuse(reason('sql_item_property', { key }));
    return fallback;
  }

  /** if/then/else-if/... as AND/OR, which the planner can still serve from indexes. */
  conditional(args: readonly unknown[], from: number): Cond {
    if (from >= args.length) return C.FALSE;
    if (from === args.length - 1) return this.cond(args[from]);
    const test = this.cond(args[from]);
    const then = this.cond(args[from + 1]);
    return C.or(C.and(test, then), C.and(C.not(test), this.conditional(args, from + 2)));
  }

  relation(operation: Relation, args: readonly unknown[]): Cond {
    // `<` and `<=` with three arguments test a < b < c (JavaScript: c === undefined ? ... ).
    const between = args.length >= 3 && (operation === '<' || operation === '<=');
    const [a, b, c] = this.operands(args, between ? 3 : 2);
    const first = overVariants([a!, b!], ([x, y]) => relation(operation, x!, y!));
    if (!between) return first;
    return C.and(first, overVariants([b!, c!], ([x, y]) => relation(operation, x!, y!)));
  }

  truthiness(term: Term): Cond {
    if (term.tag === 'const') return C.constant(truthy(term.value));
    // A nullable boolean column: IS TRUE is two-valued and index-friendly.
    if (term.repr === 'boolean') return term.nullable ? C.raw(sql<SqlBool>`(${term.sql} is true)`) : C.raw(asBool(term.sql));
    return overVariants([term], ([value]) => (value!.tag === 'const' ? C.constant(truthy(value!.value)) : truthySql(value!)));
  }

  membership(args: readonly unknown[]): Cond {
    this.ignored(args, 2);
    const needle = args.length > 0 ? this.term(args[0]) : constTerm(undefined);
    if (args.length < 2) return C.FALSE;
    const haystack = args[1];
    if (Array.isArray(haystack)) return this.inList(needle, haystack.map((item) => this.term(item)));
    const hay = this.term(haystack);
    if (hay.tag === 'const') {
      const value = hay.value;
      if (Array.isArray(value)) return this.inList(needle, value.map((item) => constTerm(item)));
      if (typeof value === 'string') return value === '' ? C.FALSE : this.inText(needle, constTerm(value));
      if (value !== null && typeof value === 'object' && 'indexOf' in value) refuse(reason('sql_search_value', { operation: 'in' }));
      return C.FALSE;
    }
    if (hay.cls === 'json') refuse(reason('sql_search_in_json', { operation: 'in' }));
    if (hay.cls === 'string') return this.inText(needle, hay);
    if (hay.cls === 'array') return this.inArray(needle, hay);
    // Numbers and booleans have no indexOf: json-logic-js answers false.
    return C.FALSE;
  }

  /** `needle` in a list: indexOf, i.e. strict equality with some item. */
  inList(needle: Term, items: Term[]): Cond {
    const literals = items.filter((item): item is ConstValue => item.tag === 'const' && constClass(item.value) !== 'array' && constClass(item.value) !== 'object');
    const others = items.filter((item) => !literals.includes(item as ConstValue));
    const fromLiterals = overVariants([needle], ([value]) => equalsAnyLiteral(value!, literals.map((item) => item.value)));
    return C.or(fromLiterals, ...others.map((item) => overVariants([needle, item], ([x, y]) => strictlyEqual(x!, y!, 'in'))));
  }

  /** String haystack: JavaScript String.prototype.indexOf(String(needle)). */
  inText(needle: Term, hay: Term): Cond {
    return overVariants([needle, hay], ([n, h]) => {
      if (h!.tag === 'const' && h!.value === null) return C.FALSE;
      if (n!.tag === 'const' && h!.tag === 'const') return C.constant((h!.value as string).indexOf(n!.value as string) !== -1);
      if (classOf(n!) === 'json') refuse(reason('sql_search_for_json', { operation: 'in' }));
      const needleText = n!.tag === 'const' ? sql`${String(n!.value)}::text` : textOf(n!);
      const found = C.raw(sql<SqlBool>`(strpos(${textOf(h!)}, ${needleText}) > 0)`);
      // An empty string is falsy: json-logic-js answers false before searching it.
      return h!.tag === 'sql' && h!.repr === 'text' ? C.and(C.raw(sql<SqlBool>`(${h!.sql} <> '')`), found) : found;
    });
  }

  /** Multiselect haystack: strict equality with an element (the elements are strings). */
  inArray(needle: Term, hay: SqlValue): Cond {
    return overVariants([needle, hay], ([n, h]) => {
      if (h!.tag === 'const') return C.FALSE;
      if (n!.tag === 'const') {
        // null finds a null item (indexOf is ===); PostgreSQL's @> never matches NULLs.
        if (n!.value === null) return C.raw(sql<SqlBool>`(array_position(${h!.sql}, null::text) is not null)`);
        return typeof n!.value === 'string' ? C.raw(sql<SqlBool>`(${h!.sql} @> array[${n!.value}::text])`) : C.FALSE;
      }
      if (n!.cls === 'json') {
        return C.raw(sql<SqlBool>`(jsonb_typeof(${n!.sql}) = 'string' and ${h!.sql} @> array[${n!.sql} #>> '{}'])`);
      }
      if (n!.cls !== 'string') return C.FALSE;
      return C.raw(sql<SqlBool>`(${h!.sql} @> array[${textOf(n!)}])`);
    });
  }

  missing(args: readonly unknown[]): Cond {
    if (this.#items.length > 0) refuse(reason('sql_inside_quantifier', { operation: 'missing', quantifiers: 'some/all/none' }));
    return C.or(...this.literalNames(args, 'missing').map((name) => this.isMissing(name)));
  }

  missingSome(args: readonly unknown[]): Cond {
    if (this.#items.length > 0) refuse(reason('sql_inside_quantifier', { operation: 'missing_some', quantifiers: 'some/all/none' }));
    const need = args[0];
    if (need === null || typeof need === 'object') refuse(reason('sql_literal_count', { operation: 'missing_some' }));
    const names = Array.isArray(args[1]) ? this.literalNames([args[1]], 'missing_some') : refuse(reason('sql_literal_list', { operation: 'missing_some' }));
    // json-logic-js: [] when names.length - missing >= need, else the missing names (truthy if any).
    const flags = names.map((name) => this.isMissing(name));
    const missingCount = sql`(${sql.join(flags.map((f) => sql`(case when ${C.toSql(f)} then 1 else 0 end)`), sql` + `)})`;
    const threshold = names.length - Number(need);
    const someMissing = C.raw(sql<SqlBool>`(${missingCount} > 0)`);
    if (names.length === 0) return C.FALSE;
    if (Number.isNaN(threshold)) return someMissing;
    return C.and(C.raw(sql<SqlBool>`(${missingCount} > ${float8Param(threshold)})`), someMissing);
  }

  literalNames(args: readonly unknown[], operation: string): string[] {
    const keys: readonly unknown[] = Array.isArray(args[0]) ? args[0] : args;
    if (Array.isArray(args[0]) && args.length > 1) refuse(reason('sql_one_literal_list', { operation }));
    return keys.map((key) => (typeof key === 'string' || typeof key === 'number' ? String(key) : refuse(reason('sql_literal_names', { operation }))));
  }

  /** `value === null || value === ""` for a named variable. */
  isMissing(name: string): Cond {
    const term = this.variable([name]);
    if (term.tag === 'const') return C.constant(term.value === null || term.value === '');
    const empty =
      term.repr === 'text' ? C.raw(sql<SqlBool>`(${term.sql} = '')`) : term.repr === 'jsonb' ? C.raw(sql<SqlBool>`(${term.sql} = '""'::jsonb)`) : C.FALSE;
    if (!term.nullable) return empty;
    return C.or(isNull(term), empty.kind === 'const' ? empty : C.and(isNotNull(term), empty));
  }

  // ---- values ----------------------------------------------------------------------------

  term(node: unknown): Term {
    if (Array.isArray(node)) {
      const items = node.map((item) => this.term(item));
      if (items.every((item) => item.tag === 'const')) return constTerm(items.map((item) => (item as ConstValue).value));
      refuse(reason('sql_built_arrays'));
    }
    const operation = operationOf(node);
    if (operation === undefined) return constTerm(node);
    const args = argumentsOf(node as object, operation);
    switch (operation) {
      case 'var':
        return this.variable(args);
      case '!':
      case '!!':
      case '==':
      case '!=':
      case '===':
      case '!==':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case 'in':
      case 'some':
      case 'all':
      case 'none':
        return boolTerm(this.cond(node));
      case 'if':
      case '?:':
        return this.choiceTerm(operation, this.ifBranches(args));
      case 'and':
      case 'or':
        return this.logicalTerm(operation, args);
      case '+':
      case '-':
      case '*':
      case 'min':
      case 'max':
        return this.arithmetic(operation, args);
      case 'cat':
        return this.concatenation(args);
      case 'lower':
        return lowerTerm(this.operands(args, 1)[0]!);
      case 'missing':
      case 'missing_some':
        return refuse(reason('sql_condition_only', { operation }));
      default:
        return refuseOperation(operation);
    }
  }

  variable(args: readonly unknown[]): Term {
    const item = this.#items[this.#items.length - 1];
    if (item !== undefined) return this.itemVariable(item, args);
    const name = String(args[0]);
    const variable = this.scope.resolve(name);
    if (!variable) refuse(reason('unknown_variable', { name }));
    if (!variable.sql) refuse(reason('sql_variable_unavailable', { name }));
    // A variable the scope knows is always present in the record (null when empty), so the
    // default of {"var": [name, default]} never applies - except to an absent context value.
    const fallback = args.length > 1 ? this.term(args[1]) : constTerm(null);
    this.ignored(args, 2);
    const source = variable.sql;
    if ('column' in source) {
      const ref = this.table === undefined ? sql.id(source.column) : sql.id(this.table, source.column);
      return columnTerm(variable.kind, ref, `column:${source.column}`);
    }
    if ('value' in source) {
      if (source.value === undefined) return fallback.tag === 'const' && fallback.value === undefined ? constTerm(null) : fallback;
      return constTerm(source.value, `value:${name}`);
    }
    if (this.#expanding.includes(name)) refuse(reason('computed_field_cycle', { name, cycle: [...this.#expanding, name].join(' -> ') }));
    this.#expanding.push(name);
    try {
      return this.term(source.rule);
    } finally {
      this.#expanding.pop();
    }
  }

  ifBranches(args: readonly unknown[]): { test: Cond; value: unknown }[] {
    const branches: { test: Cond; value: unknown }[] = [];
    let i = 0;
    for (; i < args.length - 1; i += 2) branches.push({ test: this.cond(args[i]), value: args[i + 1] });
    branches.push({ test: C.TRUE, value: args.length === i + 1 ? args[i] : null });
    return branches;
  }

  /** and/or as values: the first falsy (and) or truthy (or) operand, else the last. */
  logicalTerm(operation: 'and' | 'or', args: readonly unknown[]): Term {
    if (args.length === 0) refuse(reason('sql_no_arguments', { operation }));
    const branches = args.map((arg, i) => {
      if (i === args.length - 1) return { test: C.TRUE, value: arg };
      const test = this.cond(arg);
      return { test: operation === 'and' ? C.not(test) : test, value: arg };
    });
    return this.choiceTerm(operation, branches);
  }

  /** CASE WHEN over branches whose values share one JavaScript type. */
  choiceTerm(operation: string, branches: { test: Cond; value: unknown }[]): Term {
    const live: { test: Cond; value: Term }[] = [];
    for (const branch of branches) {
      if (branch.test.kind === 'const' && !branch.test.value) continue;
      live.push({ test: branch.test, value: this.term(branch.value) });
      if (branch.test.kind === 'const') break;
    }
    if (live.length === 1) return live[0]!.value;
    if (live.length === 0) return constTerm(null);
    const unified = unify(live.map((b) => b.value), operation);
    const whens = live.slice(0, -1).map((b, i) => sql`when ${C.toSql(b.test)} then ${unified.sqls[i]}`);
    const expression = sql`(case ${sql.join(whens, sql` `)} else ${unified.sqls[live.length - 1]} end)`;
    return { tag: 'sql', cls: unified.cls, repr: unified.repr, sql: expression, nullable: true };
  }

  arithmetic(operation: ArithmeticOperation, args: readonly unknown[]): Term {
    return arithmeticTerm(operation, args.map((arg) => this.term(arg)));
  }

  concatenation(args: readonly unknown[]): Term {
    return concatenationTerm(args.map((arg) => this.term(arg)));
  }

  /** Arguments json-logic-js evaluates and ignores: they must still be translatable. */
  ignored(args: readonly unknown[], from: number): void {
    for (let i = from; i < args.length; i++) this.term(args[i]);
  }

  operands(args: readonly unknown[], count: number): Term[] {
    const terms = Array.from({ length: count }, (_, i) => (i < args.length ? this.term(args[i]) : constTerm(undefined)));
    this.ignored(args, count);
    return terms;
  }
}

// ---- helpers ---------------------------------------------------------------------------------

/** json-logic-js `var` on a constant item, own properties only (as compiled rules read them). */
function ownPath(data: unknown, path: unknown): { found: boolean; value?: unknown } {
  let current = data;
  for (const key of String(path).split('.')) {
    if (current === null || current === undefined || !Object.prototype.hasOwnProperty.call(current, key)) return { found: false };
    current = (current as Record<string, unknown>)[key];
    if (current === undefined) return { found: false };
  }
  return { found: true, value: current };
}

