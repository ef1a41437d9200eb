import type { CompiledField } from '../metadata/compiled';
import { FIELD_UPDATE_KEYS, type ApprovalProcessDefinition } from './types';

/**
 * What JSON Schema cannot check in an approval process, against the whole metadata (run by
 * validate-graph.ts on every change, so deleting a field, or a role, that a process uses is
 * refused naming the process): criteria and field-update rules over the object's fields, roles
 * and user fields that exist, field updates only of fields a caller could write. That user
 * approvers exist is checked by the service when the process is saved (users are not metadata).
 */
export function checkApprovalProcess(
  process: ApprovalProcessDefinition,
  fields: ReadonlyMap<string, CompiledField>,
  roleNames: ReadonlySet<string>,
  report: (path: string, reason: string) => void,
  checkRule: (path: string, rule: unknown) => void,
): void {
  checkRule('entry_criteria', process.entry_criteria);
  const stepNames = new Set<string>();
  process.steps.forEach((step, s) => {
    if (stepNames.has(step.name)) report(`steps/${s}/name`, `"${step.name}" names two steps`);
    stepNames.add(step.name);
    if (step.criteria !== undefined) checkRule(`steps/${s}/criteria`, step.criteria);
    step.approvers.forEach((approver, a) => {
      const at = `steps/${s}/approvers/${a}`;
      if (approver.type === 'role' && !roleNames.has(approver.role)) report(`${at}/role`, `role "${approver.role}" does not exist`);
      if (approver.type === 'field') {
        const field = fields.get(approver.field);
        if (!field) report(`${at}/field`, `"${approver.field}" is not a field of this object`);
        else if (field.definition.type !== 'user') report(`${at}/field`, `"${approver.field}" is a ${field.definition.type} field, not a user field`);
      }
    });
  });
  for (const key of FIELD_UPDATE_KEYS) {
    for (const [name, value] of Object.entries(process[key] ?? {})) {
      const at = `${key}/${name}`;
      const field = fields.get(name);
      if (!field) {
        report(at, `"${name}" is not a field of this object`);
        continue;
      }
      if (!field.writable) {
        report(at, `"${name}" cannot be written (${field.system ? 'a system field' : field.definition.read_only ? 'read-only' : `a ${field.definition.type} field`})`);
        continue;
      }
      if (isLiteral(value)) {
        const problem = literalProblem(field, value);
        if (problem) report(at, problem);
      } else checkRule(at, value);
    }
  }
}

function isLiteral(rule: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return true;
  if (Array.isArray(rule)) return rule.every(isLiteral);
  return false;
}

/** A constant is checked now, like a field default; a rule's result is checked by the write pipeline when it runs. */
function literalProblem(field: CompiledField, value: unknown): string | undefined {
  if (value === null) return field.definition.required ? `"${field.name}" is required and cannot be emptied` : undefined;
  try {
    const result = field.type.normalize(value, field.definition, { previous: undefined });
    return result.ok ? undefined : `${JSON.stringify(value)} is not ${field.type.expected}`;
  } catch {
    return `${JSON.stringify(value)} is not ${field.type.expected}`;
  }
}
