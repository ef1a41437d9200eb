import type { CompiledField } from '../core/compiled';
import { reason, type ReasonData } from '../errors';
import { isLiteral } from '../rules/literal';
import type { FieldAssignments } from './types';

/** Where a map of field assignments sits and what it writes to, for checkAssignments. */
export interface AssignmentCheck {
  /** The map's path in its document (`actions/0/values`, `on_approve`). */
  readonly at: string;
  /** The written object's fields; undefined when that object does not exist (every name is then unknown). */
  readonly fields: ReadonlyMap<string, CompiledField> | undefined;
  /** The written object, named when a field is not one of it; absent: the document's own object ("this object"). */
  readonly objectName?: string;
  readonly report: (path: string, why: ReasonData) => void;
  /** The caller's rule check, bound to the scope its rules see (the source record's variables). */
  readonly checkRule: (path: string, rule: unknown) => void;
}

/**
 * What JSON Schema cannot check in field assignments, against the metadata: each names a field
 * of the written object that a caller could write (else why not); a constant is normalised like a
 * field default, so a value the write would refuse is refused when the document is saved, naming
 * its path; a rule is left to the caller's rule check (its result is checked by the write
 * pipeline when it runs).
 */
export function checkAssignments(assignments: FieldAssignments, check: AssignmentCheck): void {
  const { at, fields, objectName, report, checkRule } = check;
  for (const [name, value] of Object.entries(assignments)) {
    const path = `${at}/${name}`;
    const field = fields?.get(name);
    if (!field) report(path, objectName === undefined ? reason('not_a_field_of_this_object', { name }) : reason('not_a_field_of_named', { name, object: objectName }));
    else if (!field.writable) report(path, reason('not_writable', { name, why: whyNotWritable(field) }));
    else if (isLiteral(value)) {
      const problem = literalProblem(field, value);
      if (problem) report(path, problem);
    } else checkRule(path, value);
  }
}

function whyNotWritable(field: CompiledField): ReasonData {
  if (field.system) return reason('why_system_field');
  if (field.definition.read_only) return reason('why_read_only');
  return reason('why_type_field', { type: field.definition.type });
}

/** Why a constant cannot be written to the field (null empties it), or undefined when it can. */
function literalProblem(field: CompiledField, value: unknown): ReasonData | undefined {
  if (value === null) return field.definition.required ? reason('required_cannot_be_emptied', { name: field.name }) : undefined;
  const refused = reason('literal_not_expected', { value: JSON.stringify(value), expected: field.type.expected });
  try {
    return field.type.normalize(value, field.definition, { previous: undefined }).ok ? undefined : refused;
  } catch {
    return refused;
  }
}
