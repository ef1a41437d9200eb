import { sql, type Transaction } from 'kysely';
import { SYSTEM_USER_ID } from '../actors';
import type { MissingDeliverySettings } from '../delivery';
import type { FieldIssue } from '../errors';
import type { JobQueue } from '../jobs';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import type { Row } from '../records/statements';
import { actionLabel, type ActionResult, type RunScope } from './actions';
import { actionTypeOf, findActionType } from './actions/registry';
import type { Recipient, WorkflowAction } from './types';

/**
 * Webhooks, email and in-app notifications of workflow runs. What they tell is the record as
 * committed: an action only asks for its delivery, and the deliveries of a write are made at the
 * end of its workflow processing (WorkflowRunner), in its transaction, from the record as every
 * run of it (and every workflow those runs triggered) left it - the planner of creates does the
 * same with the row it plans (plan-create.ts).
 */

export type DeliveryAction = Extract<WorkflowAction, { type: 'webhook' | 'send_email' | 'notify' }>;

/** A delivery a run asked for, waiting for the end of the write's workflow processing. */
export interface PendingDelivery {
  readonly run: RunScope;
  readonly action: DeliveryAction;
  readonly index: number;
  /** The job's idempotency key, stable per run and action (a webhook's X-CRM-Delivery). */
  readonly key: string;
}

/** Enqueues a pending delivery built from `row`, the record as the write leaves it (each delivery action's `deliver`). */
export async function enqueueDelivery(jobs: JobQueue, pending: PendingDelivery, row: Row): Promise<ActionResult> {
  const deliver = actionTypeOf(pending.action).deliver;
  if (!deliver) throw new Error(`a ${pending.action.type} action makes no delivery`);
  return deliver(pending.action, pending, row, jobs);
}

/** Users to notify: named, in a user field of the record, or holding a role (active ones), without duplicates. */
export async function recipients(trx: Transaction<unknown>, metadata: CompiledMetadata, row: Row, list: readonly Recipient[]): Promise<string[]> {
  const ids = new Set<string>();
  const roleIds: string[] = [];
  for (const recipient of list) {
    if ('user_id' in recipient) ids.add(recipient.user_id);
    else if ('field' in recipient) {
      const value = row[recipient.field];
      if (typeof value === 'string') ids.add(value);
    } else {
      const roleId = metadata.security.roleIdsByName.get(recipient.role);
      if (roleId) roleIds.push(roleId);
    }
  }
  if (roleIds.length > 0) {
    const holders = await sql<{ id: string }>`
      select distinct u.id from crm_meta.users u join crm_meta.user_roles r on r.user_id = u.id
      where r.role_id = any(${roleIds}::uuid[]) and u.active`.execute(trx);
    holders.rows.forEach((r) => ids.add(r.id));
  }
  ids.delete(SYSTEM_USER_ID);
  return [...ids];
}

/** Email addresses, in the order written: literal ones, an email field's value, or the email of the user a user field holds. */
export async function addresses(trx: Transaction<unknown>, object: CompiledObject, row: Row, list: readonly (string | { readonly field: string })[]): Promise<string[]> {
  const isUserField = (name: string) => object.fieldsByName.get(name)?.type.emailRecipient === 'user';
  const userIds = list.flatMap((entry) => (typeof entry !== 'string' && isUserField(entry.field) && typeof row[entry.field] === 'string' ? [row[entry.field] as string] : []));
  const emails = new Map<string, string>();
  if (userIds.length > 0) {
    const users = await sql<{ id: string; email: string | null }>`select id, email from crm_meta.users where id = any(${userIds}::uuid[]) and active`.execute(trx);
    users.rows.forEach((u) => u.email && emails.set(u.id, u.email));
  }
  const found = list.map((entry) => {
    if (typeof entry === 'string') return entry.trim();
    const value = row[entry.field];
    if (typeof value !== 'string' || value === '') return undefined;
    return isUserField(entry.field) ? emails.get(value) : value;
  });
  return [...new Set(found.filter((a): a is string => a !== undefined))];
}

/**
 * The actions of a workflow document this process could not deliver, as issues at `at` + their
 * path: a webhook while no secret signs it, email while no SMTP server is set. An inactive
 * workflow never runs, so it may be saved (and deactivating one is always possible). Tolerates
 * any document (templates are checked before anything of them is installed).
 */
export function undeliverableIssues(document: unknown, missing: MissingDeliverySettings, at = ''): FieldIssue[] {
  if (document === null || typeof document !== 'object') return [];
  const { active, actions } = document as { active?: unknown; actions?: unknown };
  if (active === false || !Array.isArray(actions)) return [];
  return actions.flatMap((action: unknown, index): FieldIssue[] => {
    const { type, name } = (action ?? {}) as { type?: unknown; name?: unknown };
    const needs = findActionType(type)?.needs;
    const variable = needs && missing[needs.setting];
    if (!needs || variable === undefined) return [];
    const label = actionLabel({ type, ...(typeof name === 'string' ? { name } : {}) } as WorkflowAction, index);
    return [{ path: `${at}actions/${index}`, code: needs.code, params: { action: label, variable } }];
  });
}
