import { referenceOf } from '../field-types';
import { checkAssignments } from '../assignments';
import type { CompiledField } from '../metadata/compiled';
import { FIELD_UPDATE_KEYS, type ApprovalProcessDefinition } from './types';
import { reason, type ReasonData } from '../errors';

/**
 * What JSON Schema cannot check in an approval process, against the whole metadata (run by
 * validate-graph.ts on every change, so deleting a field, or a role, that a process uses is
 * refused naming the process): criteria and field-update rules over the object's fields, roles
 * and user fields that exist, field updates only of fields a caller could write (checked as
 * workflows' values are, by assignments/: constants must fit their field). That user
 * approvers exist is checked by the service when the process is saved (users are not metadata).
 */
export function checkApprovalProcess(
  process: ApprovalProcessDefinition,
  fields: ReadonlyMap<string, CompiledField>,
  roleNames: ReadonlySet<string>,
  report: (path: string, why: ReasonData) => void,
  checkRule: (path: string, rule: unknown) => void,
): void {
  checkRule('entry_criteria', process.entry_criteria);
  const stepNames = new Set<string>();
  process.steps.forEach((step, s) => {
    if (stepNames.has(step.name)) report(`steps/${s}/name`, reason('step_name_twice', { name: step.name }));
    stepNames.add(step.name);
    if (step.criteria !== undefined) checkRule(`steps/${s}/criteria`, step.criteria);
    step.approvers.forEach((approver, a) => {
      const at = `steps/${s}/approvers/${a}`;
      if (approver.type === 'role' && !roleNames.has(approver.role)) report(`${at}/role`, reason('role_missing', { name: approver.role }));
      if (approver.type === 'field') {
        const field = fields.get(approver.field);
        if (!field) report(`${at}/field`, reason('not_a_field_of_this_object', { name: approver.field }));
        else if (referenceOf(field.definition)?.to !== 'user') report(`${at}/field`, reason('field_not_user', { name: approver.field, type: field.definition.type }));
      }
    });
  });
  for (const key of FIELD_UPDATE_KEYS) checkAssignments(process[key] ?? {}, { at: key, fields, report, checkRule });
}
