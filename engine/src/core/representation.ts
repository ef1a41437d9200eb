import { castFormulaResult } from '../field-types';
import type { CompiledObject, InputObject } from './compiled';
import { contextData, type RuleContext } from './rule-scope';
import type { FormulaField } from '../documents/types';

/** A record as the API returns it: flat JSON, system fields beside the object's fields. */
export type RecordData = Record<string, unknown>;

// Pure functions of the compiled object, below validation-rules/ and records/, which both use them.
import { computeFormulas, ruleData } from './rule-data';
export { computeFormulas, ruleData };

/**
 * Shapes a stored row for the caller. `select` limits the fields returned (id is always
 * included); the row must hold every column the selected formulas read.
 */
export function outputRecord(object: InputObject, row: Record<string, unknown>, context: RuleContext, select?: ReadonlySet<string>): RecordData {
  const record: RecordData = {};
  for (const field of object.fields) {
    if (field.column === null) continue;
    if (select && !select.has(field.name) && field.name !== 'id') continue;
    const value = row[field.column];
    record[field.name] = value === undefined || value === null ? null : field.type.output(value, field.definition);
  }
  // Most objects have no formulas: no per-row list of them then.
  const wantedFormulas = object.formulas.length === 0 ? object.formulas : object.formulas.filter((f) => !select || select.has(f.field.name));
  if (wantedFormulas.length > 0) {
    const results = computeFormulas(object, ruleData(object, row, context));
    for (const formula of wantedFormulas) record[formula.field.name] = results[formula.field.name];
  }
  return record;
}

/** Columns needed to return `select`: the fields themselves and whatever their formulas read. */
export function columnsFor(object: CompiledObject, select: ReadonlySet<string> | undefined): string[] {
  if (!select) return [...object.columns];
  const needed = new Set<string>(['id']);
  const addField = (name: string, seen: Set<string>): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const field = object.fieldsByName.get(name);
    if (!field) return;
    if (field.column) needed.add(field.column);
    const formula = object.formulas.find((f) => f.field.name === name);
    // A formula is computed from the whole rule data, so fetch what it (transitively) reads.
    formula?.reads.forEach((read) => addField(read, seen));
  };
  const seen = new Set<string>();
  select.forEach((name) => addField(name, seen));
  return object.columns.filter((c) => needed.has(c));
}
