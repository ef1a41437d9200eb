import { computeFormulas, ruleData, type InputObject, type RuleContext } from '@crm/engine/core';

/**
 * A form's values as the server's rules would see them. Values are kept as the record API writes
 * them; each is run through its field's own check and normalisation (core's, per field) so a
 * condition or formula reads exactly what the stored record would hold, and a value that does
 * not pass reads as empty (the check reports it on its field).
 */
export type FormValues = Readonly<Record<string, unknown>>;

/** One field's value as stored, or undefined when it does not pass the field's check. */
function storedValue(object: InputObject, name: string, value: unknown, previous: unknown): unknown {
  const field = object.fieldsByName.get(name);
  if (!field || value === undefined) return undefined;
  if (value === null) return null;
  try {
    const cleaned = field.type.clean ? field.type.clean(value) : value;
    const validate = object.inputValidator();
    if (field.writable && !validate({ [name]: cleaned })) return undefined;
    const normalized = field.type.normalize(cleaned, field.definition, { previous });
    return normalized.ok ? normalized.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The stored row (column -> value) of a record as the API returned it: each stored field
 * normalised as a write would store it, so the check's comparison with the input is like the
 * server's (system fields and values that do not normalise are kept as returned).
 */
export function storedRow(object: InputObject, record: FormValues): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of object.fields) {
    if (!field.column || !(field.name in record)) continue;
    const raw = record[field.name];
    const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'id' in raw ? (raw as { id: unknown }).id : raw;
    const stored = field.system ? undefined : storedValue(object, field.name, value, value);
    row[field.column] = stored === undefined ? (value ?? null) : stored;
  }
  return row;
}

/** The row a form's values would store on top of `old` (an edit's stored row; none on create). */
export function formRow(object: InputObject, values: FormValues, old?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const row: Record<string, unknown> = { ...old };
  for (const field of object.userFields) {
    if (!field.column || !(field.name in values)) continue;
    const stored = storedValue(object, field.name, values[field.name], old?.[field.column]);
    row[field.column] = stored === undefined ? null : stored;
  }
  return row;
}

/**
 * The data a layout condition sees: the record's fields as rules read them (core's ruleData),
 * formulas computed on them, `$user`, `$now` and `$today` — the record as the server would hold it.
 */
export function formRuleData(object: InputObject, values: FormValues, context: RuleContext, old?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return formRuleState(object, values, context, old).data;
}

/**
 * formRuleData and the formula values in it, from one pass over the form's values (a form reads
 * both on every keystroke; each pass checks and normalises every field).
 */
export function formRuleState(
  object: InputObject,
  values: FormValues,
  context: RuleContext,
  old?: Readonly<Record<string, unknown>>,
): { readonly data: Record<string, unknown>; readonly formulas: Record<string, unknown> } {
  const data = ruleData(object, formRow(object, values, old), context);
  const formulas = computeFormulas(object, data);
  return { data, formulas };
}

/** Formula values for display, computed live from the form (core's computeFormulas). */
export function liveFormulas(object: InputObject, values: FormValues, context: RuleContext, old?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return formRuleState(object, values, context, old).formulas;
}
