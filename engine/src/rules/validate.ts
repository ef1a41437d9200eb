import { CrmError, reason, type FieldIssue, type Reason } from '../errors';
import { RULE_LIMITS, type JsonLimits } from '../documents/json-limits';
import { argumentsOf, isRuleOperation, ITERATING_OPERATIONS, operationOf, pointerToken } from './operations';
import type { JsonLogicRule, RuleScope } from './scope';

/** How deep and how big a rule may be (the rule itself is level 1), set in documents/json-limits.ts. */
export type RuleLimits = JsonLimits;

export const DEFAULT_RULE_LIMITS: RuleLimits = RULE_LIMITS;

export type ValidateRuleOptions = Partial<RuleLimits>;

/**
 * Every problem of a rule, in document order, or an empty list. Checks that the rule is JSON,
 * within the limits, uses only known operations, and - at record level - names only variables
 * the scope knows, with literal names. Inside the per-item logic of map/filter/reduce/all/none/
 * some, `var` names the item (`""`, `current`, `accumulator`, ...) and is not resolved.
 */
export function listRuleIssues(rule: JsonLogicRule, scope: RuleScope, options: ValidateRuleOptions = {}): FieldIssue[] {
  return inspectRule(rule, scope, options);
}

/** Throws `rule_invalid` listing every problem at once. */
export function validateRule(rule: JsonLogicRule, scope: RuleScope, options: ValidateRuleOptions = {}): void {
  const issues = inspectRule(rule, scope, options);
  if (issues.length > 0) throw new CrmError('rule_invalid', {}, issues);
}

/** The shared walk; without a scope (compiling for in-memory use) variables are not resolved. */
export function inspectRule(rule: JsonLogicRule, scope: RuleScope | undefined, options: ValidateRuleOptions = {}): FieldIssue[] {
  const limits: RuleLimits = { ...DEFAULT_RULE_LIMITS, ...definedOnly(options) };
  return new RuleInspector(scope, limits).run(rule);
}

function definedOnly(options: ValidateRuleOptions): ValidateRuleOptions {
  const out: { maxDepth?: number; maxNodes?: number } = {};
  if (options.maxDepth !== undefined) out.maxDepth = options.maxDepth;
  if (options.maxNodes !== undefined) out.maxNodes = options.maxNodes;
  return out;
}

/** `record`: variables name fields of the scope. `item`: they name parts of the current array item. */
type Level = 'record' | 'item';

class RuleInspector {
  readonly #issues: FieldIssue[] = [];
  #nodes = 0;
  #tooMany = false;

  constructor(
    private readonly scope: RuleScope | undefined,
    private readonly limits: RuleLimits,
  ) {}

  run(rule: unknown): FieldIssue[] {
    this.#rule(rule, '', 1, 'record');
    return this.#issues;
  }

  #report(path: string, why: Reason): void {
    this.#issues.push({ path, code: 'invalid', params: { reason: why } });
  }

  /** Counts a node; false when a limit stops the walk below it. */
  #enter(path: string, depth: number): boolean {
    if (this.#tooMany) return false;
    if (++this.#nodes > this.limits.maxNodes) {
      this.#tooMany = true;
      this.#report('', reason('rule_too_many_parts', { max: this.limits.maxNodes }));
      return false;
    }
    if (depth > this.limits.maxDepth) {
      this.#report(path, reason('rule_too_deep', { max: this.limits.maxDepth }));
      return false;
    }
    return true;
  }

  #rule(node: unknown, path: string, depth: number, level: Level): void {
    if (!this.#enter(path, depth)) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => this.#rule(item, `${path}/${i}`, depth + 1, level));
      return;
    }
    if (!isJsonScalar(node) && !isPlainObject(node)) {
      this.#report(path, reason('not_json_value'));
      return;
    }
    const operation = operationOf(node);
    if (operation === undefined) {
      // A literal object: data, never evaluated. Only its shape is checked.
      if (isPlainObject(node)) {
        for (const [key, value] of Object.entries(node)) this.#literal(value, `${path}/${pointerToken(key)}`, depth + 1);
      }
      return;
    }
    if (!isRuleOperation(operation)) {
      this.#report(path, reason('unknown_operation', { operation }));
      return;
    }
    const args = argumentsOf(node as object, operation);
    const argPath = argumentPath(node as Record<string, unknown>, operation, path);
    const argDepth = depth + 1;
    const one = (i: number, at: Level) => {
      if (i < args.length) this.#rule(args[i], argPath(i), argDepth, at);
    };
    const each = (from: number, at: Level) => {
      for (let i = from; i < args.length; i++) one(i, at);
    };

    if (operation === 'var') {
      if (level === 'record' && this.scope) this.#variable(args[0], argPath(0), argDepth);
      else one(0, level);
      each(1, level);
    } else if (operation === 'missing' && level === 'record' && this.scope) {
      args.forEach((arg, i) => this.#names(arg, argPath(i), argDepth));
    } else if (operation === 'missing_some' && level === 'record' && this.scope) {
      one(0, level);
      if (args.length > 1) this.#names(args[1], argPath(1), argDepth);
      each(2, level);
    } else if (ITERATING_OPERATIONS.has(operation)) {
      one(0, level);
      one(1, 'item');
      each(2, level);
    } else {
      each(0, level);
    }
  }

  /** Inside a literal object: plain data, only its shape is checked. */
  #literal(value: unknown, path: string, depth: number): void {
    if (!this.#enter(path, depth)) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.#literal(item, `${path}/${i}`, depth + 1));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) this.#literal(item, `${path}/${pointerToken(key)}`, depth + 1);
    } else if (!isJsonScalar(value)) {
      this.#report(path, reason('not_json_value'));
    }
  }

  /** The first argument of a record-level `var`: a literal name the scope knows. */
  #variable(name: unknown, path: string, depth: number): void {
    if (!this.#enter(path, depth)) return;
    if (typeof name === 'string' || (typeof name === 'number' && Number.isFinite(name))) {
      this.#resolve(String(name), path);
    } else if (name === undefined || name === null) {
      this.#report(path, reason('needs_field_name', { operation: 'var' }));
    } else {
      this.#report(path, reason('variable_name_literal'));
    }
  }

  #resolve(name: string, path: string): void {
    if (name === '') this.#report(path, reason('needs_field_name', { operation: 'var' }));
    else if (!this.scope?.resolve(name)) this.#report(path, reason('unknown_variable', { name }));
  }

  /**
   * Names checked by `missing`/`missing_some`: literal names, arrays of them, or the documented
   * idiom of `merge` and `if` choosing among literal names (conditions are ordinary rules).
   */
  #names(node: unknown, path: string, depth: number): void {
    if (!this.#enter(path, depth)) return;
    if (typeof node === 'string' || (typeof node === 'number' && Number.isFinite(node))) {
      this.#resolve(String(node), path);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => this.#names(item, `${path}/${i}`, depth + 1));
      return;
    }
    const operation = operationOf(node);
    if (operation === 'merge' || operation === 'if' || operation === '?:') {
      const args = argumentsOf(node as object, operation);
      const argPath = argumentPath(node as Record<string, unknown>, operation, path);
      const argDepth = depth + 1;
      args.forEach((arg, i) => {
        const isCondition = operation !== 'merge' && i % 2 === 0 && i < args.length - 1;
        if (isCondition) this.#rule(arg, argPath(i), argDepth, 'record');
        else this.#names(arg, argPath(i), argDepth);
      });
      return;
    }
    this.#report(path, reason('needs_literal_names', { first: 'missing', second: 'missing_some' }));
  }
}

function argumentPath(node: Record<string, unknown>, operation: string, path: string): (i: number) => string {
  const base = `${path}/${pointerToken(operation)}`;
  return Array.isArray(node[operation]) ? (i) => `${base}/${i}` : () => base;
}

export function isJsonScalar(value: unknown): value is string | number | boolean | null {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
