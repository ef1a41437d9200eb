import { CrmError, reason } from '../errors';
import { compileSchema, schemaIssues, type Validator } from './ajv';
import { checkDocumentLimits } from './documents';
import type { JsonSchema } from './json-schema';
import { apiNameProblem } from './names';

const validators = new WeakMap<object, Validator>();

/**
 * The first checks of a named document attached to an object (an approval process, a workflow):
 * a JSON object within the document limits, an API name that follows the rules of view names (it
 * never reaches SQL), and the shape its schema describes. Throws metadata_invalid or invalid_api_name.
 */
export function checkNamedDocument(document: unknown, kind: string, schema: JsonSchema): void {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new CrmError('metadata_invalid', { kind, summary: reason('must_be_json_object') });
  }
  checkDocumentLimits(document, kind);
  const name = (document as { name?: unknown }).name;
  const problem = name === undefined ? undefined : apiNameProblem(name, 'view');
  if (problem) throw new CrmError('invalid_api_name', { name: String(name), reason: problem });
  let validator = validators.get(schema as object);
  if (!validator) validators.set(schema as object, (validator = compileSchema(schema)));
  if (!validator(document)) throw new CrmError('metadata_invalid', { kind }, schemaIssues(validator.errors));
}
