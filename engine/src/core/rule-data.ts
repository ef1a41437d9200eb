import { castFormulaResult } from '../field-types';
import type { InputObject } from './compiled';
import { contextData, type RuleContext } from './rule-scope';
import type { FormulaField } from '../documents/types';

/** Stored values as rules see them (decimals as numbers), plus `$user`, `$now`, `$today`. */
export function ruleData(object: Pick<InputObject, 'fields'>, row: Record<string, unknown>, context: RuleContext): Record<string, unknown> {
  const data: Record<string, unknown> = contextData(context);
  for (const field of object.fields) {
    if (field.column === null) continue;
    const value = row[field.column];
    data[field.name] = value === undefined || value === null ? null : field.type.toRule(field.type.output(value, field.definition), field.definition);
  }
  return data;
}

/** Evaluates formulas in dependency order; a formula that cannot be computed is null, never an error on read. */
export function computeFormulas(object: Pick<InputObject, 'formulas'>, data: Record<string, unknown>): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  for (const formula of object.formulas) {
    let value: unknown;
    try {
      value = castFormulaResult(formula.evaluate(data), formula.field.definition as FormulaField);
    } catch {
      value = null;
    }
    results[formula.field.name] = value;
    data[formula.field.name] = value;
  }
  return results;
}
