import { CrmError } from '../errors';
import { cachingEvaluator } from './js-runtime';
import { JsProgram, type JsHelpers, type RuleMode, type RuleSource } from './js-generator';
import { ruleHelpers } from './js-helpers';
import type { JsonLogicRule } from './scope';
import { inspectRule, type ValidateRuleOptions } from './validate';

export { truthy } from './js-runtime';

/** A rule compiled to a plain function of the data (a record, or any JSON value). */
export type CompiledRule = (data?: unknown) => unknown;
/** A rule compiled for its truthiness only (validation rules, conditions): faster, no result value. */
export type CompiledCondition = (data?: unknown) => boolean;

export type CompileRuleOptions = ValidateRuleOptions;

/**
 * Compiles a rule to JavaScript with json-logic-js 2.0.5 semantics. The generated source only
 * ever contains literals written by JSON.stringify (or number literals we print ourselves),
 * names we generate, and calls to helpers passed in as arguments: nothing from the rule can
 * become code. Variables are not resolved against a scope here (see validateRule).
 *
 * Deliberate differences from json-logic-js, both tested:
 * - `var` reads own properties only: `{"var": "constructor"}` on `{}` is null, not Object.
 * - unknown operations (and `log`, `method`, dotted names) are refused when compiled, with
 *   `rule_invalid`, instead of throwing only if evaluation reaches them.
 */
export function compileRule(rule: JsonLogicRule, options: CompileRuleOptions = {}): CompiledRule {
  return compile(rule, options, 'value') as CompiledRule;
}

/** Compiles `truthy(rule)`: the same semantics as `truthy(compileRule(rule)(data))`. */
export function compileCondition(rule: JsonLogicRule, options: CompileRuleOptions = {}): CompiledCondition {
  return compile(rule, options, 'boolean') as CompiledCondition;
}

function compile(rule: unknown, options: CompileRuleOptions, mode: RuleMode): (data?: unknown) => unknown {
  checkRule(rule, options);
  return new JsProgram().build(rule, mode, helpers);
}

/** The generated source of a rule, for a standalone module (no eval where it runs): same checks, same generator. */
export function generateRuleSource(rule: JsonLogicRule, mode: RuleMode, options: CompileRuleOptions = {}): RuleSource {
  checkRule(rule, options);
  return new JsProgram().generate(rule, mode);
}

function checkRule(rule: unknown, options: CompileRuleOptions): void {
  const issues = inspectRule(rule, undefined, options);
  if (issues.length > 0) throw new CrmError('rule_invalid', {}, issues);
}

/** Rules met at run time (json-logic-js re-applies computed `missing` keys): compiled on demand. */
const evaluateAtRuntime = cachingEvaluator((rule) => compileRule(rule));

/** What generated code may call: passed in as an argument, never looked up by name. */
const helpers: JsHelpers = ruleHelpers(evaluateAtRuntime);
