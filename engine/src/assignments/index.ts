/**
 * Field assignments (`{field: rule}`), one concept shared by workflow actions (`values`) and
 * approval processes (`on_approve`, `on_reject`, `on_recall`): their type, JSON Schema, metadata
 * check, renames and evaluation.
 */
export type { FieldAssignments } from './types';
export { fieldAssignmentsSchema } from './assignment-schema';
export { checkAssignments, type AssignmentCheck } from './check-assignments';
export { evaluateAssignments } from './evaluate-assignments';
export { mapAssignedRules, renameAssignedField } from './rename-assignments';
