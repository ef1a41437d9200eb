import { mapAssignedRules, renameAssignedField, type FieldAssignments } from '../assignments';
import { renameRuleVars, type DocumentUpdate } from '../metadata/references';
import type { MetadataSnapshot } from '../metadata/snapshot';
import { FIELD_UPDATE_KEYS, type ApprovalProcessDefinition } from './types';

/**
 * A renamed field, followed through the object's approval processes: criteria, field approvers
 * and field updates (keys and rules). A deleted field is not cleaned up: a process that uses it
 * blocks the delete (validate-graph names it).
 */
export function approvalProcessFieldRename(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  const object = snapshot.objects.find((o) => o.deletedAt === null && o.definition.name === objectName);
  const updates: DocumentUpdate[] = [];
  for (const stored of object?.approvalProcesses ?? []) {
    const before = stored.definition;
    const renameUpdates = (updates: FieldAssignments | undefined) => updates && mapAssignedRules(renameAssignedField(updates, from, to), (rule) => renameRuleVars(rule, from, to));
    const after: ApprovalProcessDefinition = {
      ...before,
      entry_criteria: renameRuleVars(before.entry_criteria, from, to),
      steps: before.steps.map((step) => ({
        ...step,
        ...(step.criteria !== undefined ? { criteria: renameRuleVars(step.criteria, from, to) } : {}),
        approvers: step.approvers.map((a) => (a.type === 'field' && a.field === from ? { ...a, field: to } : a)),
      })),
      ...Object.fromEntries(FIELD_UPDATE_KEYS.filter((key) => before[key]).map((key) => [key, renameUpdates(before[key])])),
    };
    if (JSON.stringify(before) !== JSON.stringify(after)) updates.push({ kind: 'approval_process', id: stored.id, definition: after });
  }
  return updates;
}
