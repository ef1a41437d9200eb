import { templateProblem, templateReads } from '../../delivery/render-template';
import type { CompiledField } from '../../metadata/compiled';
import type { RuleScope } from '../../rules/scope';
import type { WorkflowCheckContext } from '../check-workflow';
import type { FieldValues } from '../types';

/** Checks shared by several action types (moved from check-workflow.ts's checkAction). */

export function checkUserField(context: WorkflowCheckContext, name: string, path: string): void {
  const field = context.fields.get(name);
  if (!field) context.report(path, `"${name}" is not a field of this object`);
  else if (field.definition.type !== 'user') context.report(path, `"${name}" is a ${field.definition.type} field, not a user field`);
}

/**
 * A template naming a field that does not exist would render nothing in its place, silently:
 * refused like a rule's unknown variable (so deleting a field a template shows is refused too).
 */
export function checkTemplate(context: WorkflowCheckContext, text: string | undefined, path: string): void {
  if (text === undefined) return;
  const problem = templateProblem(text);
  if (problem) {
    context.report(path, `is not a valid template: ${problem}`);
    return;
  }
  for (const name of templateReads(text, { topLevelOnly: true })) {
    if (name !== '.' && !context.fields.has(name)) context.report(path, `reads "${name}", which is not a field of this object`);
  }
}

export function checkRoundRobin(context: WorkflowCheckContext, spec: { role: string } | { department_id: string }, path: string): void {
  if ('role' in spec && !context.roleNames.has(spec.role)) context.report(`${path}/role`, `role "${spec.role}" does not exist`);
  if ('department_id' in spec && !context.departmentIds.has(spec.department_id)) context.report(`${path}/department_id`, `department ${spec.department_id} does not exist`);
}

/** Field values written to `objectName`: writable fields of it, each value a rule over the triggering record. */
export function checkValues(
  values: FieldValues,
  at: string,
  targetFields: ReadonlyMap<string, CompiledField> | undefined,
  objectName: string,
  scope: RuleScope,
  context: WorkflowCheckContext,
): void {
  for (const [name, rule] of Object.entries(values)) {
    const field = targetFields?.get(name);
    if (!field) {
      context.report(`${at}/${name}`, `"${name}" is not a field of ${objectName}`);
      continue;
    }
    if (!field.writable) {
      context.report(`${at}/${name}`, `"${name}" cannot be written (${field.system ? 'a system field' : field.definition.read_only ? 'read-only' : `a ${field.definition.type} field`})`);
      continue;
    }
    context.checkRule(`${at}/${name}`, rule, scope);
  }
}
