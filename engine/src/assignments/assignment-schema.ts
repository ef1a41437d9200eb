import type { JsonSchema } from '../metadata/json-schema';
import { API_NAME_PATTERN } from '../metadata/names';

/**
 * The JSON Schema of a `{field: rule}` map (FieldAssignments): shape only, fields and rules are
 * checked against the metadata by check-assignments.ts. A workflow webhook's `body` has the same shape.
 */
export const fieldAssignmentsSchema: JsonSchema = {
  type: 'object',
  propertyNames: { pattern: API_NAME_PATTERN.source },
  // A value is any JSON-Logic rule (a constant is a rule too).
  additionalProperties: {},
  minProperties: 1,
  maxProperties: 100,
};
