import { validationError, type FieldIssue } from '../errors';
import { isUuid } from '../metadata/ids';

/** Request bodies of the approval operations: unknown keys and wrong types are refused by name. */

export const MAX_COMMENT = 4000;

export interface SubmitInput {
  /** The process to use; without it, the first active process (in creation order) whose entry criteria hold. */
  readonly process?: string;
  readonly comment?: string;
}

export interface DecisionInput {
  readonly comment?: string;
  /**
   * Approve and reject: the step the caller is deciding, as their inbox showed it. When the request
   * has moved on meanwhile the decision is refused (approval_already_decided) instead of landing
   * on a later step the caller has not seen.
   */
  readonly step?: string;
}

export interface ReassignInput {
  readonly to_user_id: string;
  /** Whose task to hand over: the caller's own by default; administrators name it when several approvers wait. */
  readonly from_user_id?: string;
  readonly comment?: string;
}

function read(input: unknown, allowed: readonly string[]): { body: Record<string, unknown>; issues: FieldIssue[] } {
  if (input === undefined || input === null) return { body: {}, issues: [] };
  if (typeof input !== 'object' || Array.isArray(input)) throw validationError([{ path: '', code: 'type', params: { expected: 'a JSON object' } }]);
  const body = input as Record<string, unknown>;
  return { body, issues: Object.keys(body).filter((k) => !allowed.includes(k)).map((path) => ({ path, code: 'unknown_field' as const })) };
}

/** A comment: trimmed, empty means none. */
function comment(body: Record<string, unknown>, issues: FieldIssue[]): string | undefined {
  const value = body.comment;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    issues.push({ path: 'comment', code: 'type', params: { expected: 'text' } });
    return undefined;
  }
  if (value.length > MAX_COMMENT) issues.push({ path: 'comment', code: 'max_length', params: { limit: MAX_COMMENT } });
  return value.trim() || undefined;
}

function userId(body: Record<string, unknown>, key: string, issues: FieldIssue[], required: boolean): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) issues.push({ path: key, code: 'required' });
    return undefined;
  }
  if (typeof value !== 'string' || !isUuid(value)) {
    issues.push({ path: key, code: 'type', params: { expected: 'a user id' } });
    return undefined;
  }
  return value.toLowerCase();
}

export function checkSubmitInput(input: unknown): SubmitInput {
  const { body, issues } = read(input, ['process', 'comment']);
  const text = comment(body, issues);
  if (body.process !== undefined && typeof body.process !== 'string') issues.push({ path: 'process', code: 'type', params: { expected: 'text' } });
  if (issues.length) throw validationError(issues);
  return { ...(typeof body.process === 'string' ? { process: body.process } : {}), ...(text ? { comment: text } : {}) };
}

export function checkDecisionInput(input: unknown, options: { step?: boolean } = {}): DecisionInput {
  const { body, issues } = read(input, options.step ? ['comment', 'step'] : ['comment']);
  const text = comment(body, issues);
  if (body.step !== undefined && typeof body.step !== 'string') issues.push({ path: 'step', code: 'type', params: { expected: 'text' } });
  if (issues.length) throw validationError(issues);
  return { ...(text ? { comment: text } : {}), ...(typeof body.step === 'string' ? { step: body.step } : {}) };
}

export function checkReassignInput(input: unknown): ReassignInput {
  const { body, issues } = read(input, ['to_user_id', 'from_user_id', 'comment']);
  const text = comment(body, issues);
  const to = userId(body, 'to_user_id', issues, true);
  const from = userId(body, 'from_user_id', issues, false);
  if (issues.length) throw validationError(issues);
  return { to_user_id: to!, ...(from ? { from_user_id: from } : {}), ...(text ? { comment: text } : {}) };
}

