import { CrmError, reason } from '../errors';
import { compileSchema, schemaIssues, type Validator } from './ajv';
import { DOCUMENT_LIMITS, jsonInputIssue } from './json-limits';
import { apiNameProblem, type NameKind } from './names';
import { fieldSchema, layoutSchema, objectSchema, roleSchema, validationRuleSchema, viewSchema } from './schemas';
import type { FieldDefinition, LayoutDefinition, ObjectDefinition, RoleDefinition, ValidationRuleDefinition, ViewDefinition } from './types';

type DocumentKind = 'object' | 'field' | 'layout' | 'view' | 'role' | 'validation_rule';

const validators: Record<DocumentKind, () => Validator> = (() => {
  const cache = new Map<DocumentKind, Validator>();
  const lazy = (kind: DocumentKind, schema: Parameters<typeof compileSchema>[0]) => () => {
    let v = cache.get(kind);
    if (!v) {
      v = compileSchema(schema);
      cache.set(kind, v);
    }
    return v;
  };
  return {
    object: lazy('object', objectSchema),
    field: lazy('field', fieldSchema),
    layout: lazy('layout', layoutSchema),
    view: lazy('view', viewSchema),
    role: lazy('role', roleSchema),
    validation_rule: lazy('validation_rule', validationRuleSchema),
  };
})();

/** Refuses a document nested too deep, too big or holding U+0000, before schema checks or copies recurse into it. */
export function checkDocumentLimits(document: unknown, kind: string): void {
  const issue = jsonInputIssue(document, DOCUMENT_LIMITS);
  if (issue) throw new CrmError('metadata_invalid', { kind }, [issue]);
}

/** Checks a document's shape and API name; returns it typed, or throws metadata_invalid / invalid_api_name. */
function checkDocument<T>(kind: DocumentKind, document: unknown): T {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new CrmError('metadata_invalid', { kind, summary: reason('must_be_json_object') });
  }
  checkDocumentLimits(document, kind);
  const name = (document as { name?: unknown }).name;
  const problem = name === undefined ? undefined : apiNameProblem(name, kind as NameKind);
  if (problem) throw new CrmError('invalid_api_name', { name: String(name), reason: problem });
  const validate = validators[kind]();
  if (!validate(document)) throw new CrmError('metadata_invalid', { kind }, schemaIssues(validate.errors));
  return structuredClone(document) as T;
}

export const checkObjectDocument = (doc: unknown) => checkDocument<ObjectDefinition>('object', doc);
export const checkFieldDocument = (doc: unknown) => checkDocument<FieldDefinition>('field', doc);
export const checkLayoutDocument = (doc: unknown) => checkDocument<LayoutDefinition>('layout', doc);
export const checkViewDocument = (doc: unknown) => checkDocument<ViewDefinition>('view', doc);
export const checkRoleDocument = (doc: unknown) => checkDocument<RoleDefinition>('role', doc);
export const checkValidationRuleDocument = (doc: unknown) => checkDocument<ValidationRuleDefinition>('validation_rule', doc);

/**
 * JSON merge patch (RFC 7396) on the top level: keys in the patch replace, `null` removes, arrays
 * are replaced whole.
 */
export function mergePatch<T extends object>(document: T, patch: unknown): T {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new CrmError('metadata_invalid', { kind: 'patch', summary: reason('must_be_json_object') });
  }
  const merged: Record<string, unknown> = { ...(document as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged as T;
}
