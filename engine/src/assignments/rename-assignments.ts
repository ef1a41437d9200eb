import type { FieldAssignments } from './types';

/** The assignments after field `from` of the written object was renamed `to` (their keys). */
export function renameAssignedField(assignments: FieldAssignments, from: string, to: string): FieldAssignments {
  return Object.fromEntries(Object.entries(assignments).map(([field, rule]) => [field === from ? to : field, rule]));
}

/** The assignments with every rule rewritten (after a field of the source record was renamed). */
export function mapAssignedRules(assignments: FieldAssignments, map: (rule: unknown) => unknown): FieldAssignments {
  return Object.fromEntries(Object.entries(assignments).map(([field, rule]) => [field, map(rule)]));
}
