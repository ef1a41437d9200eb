import { isCrmError, type ErrorCode, type ErrorParams, type FieldIssue } from '../errors';
import type { CompiledField, InputObject } from './compiled';

/** Errors whose entries are about the record's input (others, like workflow_failed, have entries of their own). */
const ABOUT_RECORD_FIELDS: ReadonlySet<ErrorCode> = new Set(['validation_failed', 'rule_violation', 'unique_violation', 'field_forbidden']);

/**
 * Names the fields of a failed record write by their labels, in the reader's language: each
 * issue about a field of the object gets `field` (its API name, for programs) and `label`, so
 * its message and the summary read "Amount is required" / "金额 为必填项"; a parameter naming
 * such a field (`{field}` of unique_violation, `{controlling}` of a dependent option) shows the
 * label too. Fields hidden from the caller keep the name the caller sent: a label would tell
 * them the field exists. What the caller did not send is not named at all when it is hidden
 * (withoutHiddenNames). Done once where a write fails, so successful writes pay nothing.
 */
export function nameFieldsByLabel(error: unknown, object: InputObject, hidden: ReadonlySet<string>): unknown {
  if (!isCrmError(error) || error.fields.length === 0 || !ABOUT_RECORD_FIELDS.has(error.code)) return error;
  const visible = (name: unknown): CompiledField | undefined => (typeof name === 'string' && !hidden.has(name) ? object.fieldsByName.get(name) : undefined);
  const issues = hidden.size === 0 ? error.fields : withoutHiddenNames(error.fields, hidden);
  let named = issues !== error.fields;
  const fields = issues.map((issue): FieldIssue => {
    const field = issue.field === undefined ? visible(issue.path) : undefined;
    const controlling = visible(issue.params?.controlling);
    if (!field && !controlling) return issue;
    named = true;
    return {
      ...issue,
      ...(controlling ? { params: { ...issue.params, controlling: controlling.definition.label } } : {}),
      ...(field ? { field: field.name, label: field.definition.label } : {}),
    };
  });
  if (!named) return error;
  const subject = visible(error.params.field);
  const params: ErrorParams = subject && fields.some((issue) => issue.field === subject.name) ? { ...error.params, field: subject.definition.label } : error.params;
  return error.restated(params, fields);
}

/**
 * Issues of a refused write without the hidden fields the server's own logic brought in (the
 * client projection and the metadata reads leave that logic out for the same reason): a rule
 * pointing at a hidden field reports on the record as a whole instead (once per rule), and an
 * option refused by a hidden controlling field is reported as not allowed, without naming that
 * field or its value.
 */
function withoutHiddenNames(issues: readonly FieldIssue[], hidden: ReadonlySet<string>): readonly FieldIssue[] {
  if (!issues.some((issue) => hidden.has(issue.path) || (issue.code === 'dependent_option' && hidden.has(String(issue.params?.controlling))))) return issues;
  const isRule = (issue: FieldIssue) => issue.code.startsWith('rule:');
  // A rule that also points at a visible field (or at the record) is reported there already.
  const reported = new Set(issues.filter((issue) => isRule(issue) && !hidden.has(issue.path)).map((issue) => issue.code));
  return issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'dependent_option' && hidden.has(String(issue.params?.controlling))) {
      return [{ path: issue.path, code: 'option', params: { value: issue.params?.value ?? '' } }];
    }
    if (!isRule(issue) || !hidden.has(issue.path)) return [issue];
    if (reported.has(issue.code)) return [];
    reported.add(issue.code);
    return [{ ...issue, path: '' }];
  });
}
