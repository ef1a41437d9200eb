import { compileSchema, schemaIssues } from '../../metadata/ajv';
import type { JsonSchema } from '../../metadata/json-schema';
import { validationError } from '../../errors';
import { jsonInputIssue, type JsonLimits } from '../../metadata/json-limits';
import { SAVED_VIEW_LIMITS, type SavedViewInput, type SavedViewPatch } from './saved-view-types';

const API_NAME = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;

/**
 * What a saved view holds, as the API reads and writes it: the list's columns (field names, in
 * order), its sort (the records API's `sort` parameter: `-amount,name`), its filter (JSON-Logic,
 * the records API's `filter`), its quick search text, and the metadata list view it started from.
 */
export const savedViewDefinitionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['columns'],
  properties: {
    view: { ...API_NAME, description: 'The list view (metadata) it was made from.' },
    columns: { type: 'array', minItems: 1, maxItems: SAVED_VIEW_LIMITS.columns, uniqueItems: true, items: API_NAME, description: 'Field names, in column order.' },
    sort: { type: 'string', maxLength: 400, description: 'As the records API sorts: field names, `-` for descending, comma-separated.' },
    filter: { description: 'JSON-Logic in the subset the records API runs as SQL, over fields you may read.' },
    q: { type: 'string', maxLength: SAVED_VIEW_LIMITS.q, description: 'Quick search text.' },
    filter_builder: {
      type: 'object',
      additionalProperties: false,
      required: ['at', 'tree'],
      properties: { at: { type: 'string', format: 'date-time' }, tree: { type: 'object' } },
      description:
        "The filter as a UI's builder edits it (`tree`, its own format) and the moment `filter` was made from it (`at`): kept as given, never run. A UI uses it only while it still makes `filter` at that moment (no field renamed or removed since), so relative dates such as \"this month\" stay relative; it is dropped with the filter.",
    },
  },
} as const satisfies JsonSchema;

const NAME = { type: 'string', minLength: 1, maxLength: SAVED_VIEW_LIMITS.name, pattern: '\\S' } as const;

export const savedViewInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'name', 'definition'],
  properties: { object: API_NAME, name: NAME, definition: savedViewDefinitionSchema },
} as const satisfies JsonSchema;

export const savedViewPatchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name: NAME, definition: savedViewDefinitionSchema },
} as const satisfies JsonSchema;

const validateInput = compileSchema(savedViewInputSchema);
const validatePatch = compileSchema(savedViewPatchSchema);

/**
 * A definition is a few settings around one filter (at most 1,000 values, RULE_LIMITS) and the
 * builder's form of it: bounded so a user's views stay small, and free of U+0000 (jsonb stores none).
 */
const INPUT_LIMITS: JsonLimits = Object.freeze({ maxDepth: 64, maxNodes: 5000 });

function checkJson(input: unknown): void {
  const issue = jsonInputIssue(input, INPUT_LIMITS);
  if (issue) throw validationError([issue]);
}

/** The body of a create, or validation_failed naming each problem. */
export function checkSavedViewInput(input: unknown): SavedViewInput {
  checkJson(input);
  if (!validateInput(input)) throw validationError(schemaIssues(validateInput.errors));
  return input as SavedViewInput;
}

export function checkSavedViewPatch(patch: unknown): SavedViewPatch {
  checkJson(patch);
  if (!validatePatch(patch)) throw validationError(schemaIssues(validatePatch.errors));
  return patch as SavedViewPatch;
}
