import { cachedRule } from '../rules/rule-cache';
import type { FieldAssignments } from './types';

/**
 * Assignments evaluated on the source record's rule data: the input of one write through the
 * record pipeline (which checks every value). A rule with no result empties its field (null).
 * Rules come from the documents' own copies (a running approval request carries its process),
 * so they are compiled once per rule text. May throw as a rule does.
 */
export function evaluateAssignments(assignments: FieldAssignments, data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(assignments).map(([field, rule]) => [field, cachedRule(rule)(data) ?? null]));
}
