/**
 * The browser-safe rule API: the scope contract, validation and the JavaScript compiler.
 * SQL translation lives in ./sql (it imports kysely).
 */
export type { JsonLogicRule, RuleScope, RuleVariable, SqlSource, ValueKind } from './scope';
export { DEFAULT_RULE_LIMITS, listRuleIssues, validateRule, type RuleLimits, type ValidateRuleOptions } from './validate';
export { compileCondition, compileRule, truthy, type CompiledCondition, type CompiledRule, type CompileRuleOptions } from './compile-js';
export { RULE_OPERATIONS, type RuleOperation } from './operations';
export { asciiLower } from './js-runtime';
