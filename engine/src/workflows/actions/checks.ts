import { referenceOf } from '../../field-types';
import { templateProblem, templateReads } from '../../delivery/render-template';
import { checkAssignments, type FieldAssignments } from '../../assignments';
import type { RuleScope } from '../../rules/scope';
import type { WorkflowCheckContext } from '../check-workflow';
import { reason } from '../../errors';

/** Checks shared by several action types (moved from check-workflow.ts's checkAction). */

export function checkUserField(context: WorkflowCheckContext, name: string, path: string): void {
  const field = context.fields.get(name);
  if (!field) context.report(path, reason('not_a_field_of_this_object', { name }));
  else if (referenceOf(field.definition)?.to !== 'user') context.report(path, reason('field_not_user', { name, type: field.definition.type }));
}

/**
 * A template naming a field that does not exist would render nothing in its place, silently:
 * refused like a rule's unknown variable (so deleting a field a template shows is refused too).
 */
export function checkTemplate(context: WorkflowCheckContext, text: string | undefined, path: string): void {
  if (text === undefined) return;
  const problem = templateProblem(text);
  if (problem) {
    context.report(path, reason('invalid_template', { problem }));
    return;
  }
  for (const name of templateReads(text, { topLevelOnly: true })) {
    if (name !== '.' && !context.fields.has(name)) context.report(path, reason('template_reads_unknown', { name }));
  }
}

export function checkRoundRobin(context: WorkflowCheckContext, spec: { role: string } | { department_id: string }, path: string): void {
  if ('role' in spec && !context.roleNames.has(spec.role)) context.report(`${path}/role`, reason('role_missing', { name: spec.role }));
  if ('department_id' in spec && !context.departmentIds.has(spec.department_id)) context.report(`${path}/department_id`, reason('department_missing', { id: spec.department_id }));
}

/** Field values written to `objectName`: the shared assignment check, each rule over the triggering record. */
export function checkValues(values: FieldAssignments, at: string, objectName: string, scope: RuleScope, context: WorkflowCheckContext): void {
  checkAssignments(values, { at, fields: context.fieldMaps.get(objectName), objectName, report: context.report, checkRule: (path, rule) => context.checkRule(path, rule, scope) });
}
