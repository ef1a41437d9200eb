import type { JsonLogicRule } from '../rules/scope';

/**
 * Field assignments: what a document writes to a record when something happens to another (or
 * the same) record. Workflows carry them as the `values` of `update_record` and `create_record`,
 * approval processes as `on_approve`, `on_reject` and `on_recall`. Field name -> JSON-Logic rule
 * evaluated on the source record; a constant is a rule too, and is checked like a field default
 * when the document is saved.
 */
export type FieldAssignments = Readonly<Record<string, JsonLogicRule>>;
