import { sql, type Kysely } from 'kysely';
import { SYSTEM_USER_ID } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import type { Row } from '../records/statements';
import type { ApprovalStepDefinition } from './types';
import { reason, type ReasonData } from '../errors';

/** Who must act on a step, worked out when the step starts; `problems` say why a spec found nobody. */
export interface ResolvedApprovers {
  /** Distinct active users, in the order the step names them. */
  readonly userIds: readonly string[];
  readonly problems: readonly ReasonData[];
}

/**
 * Resolves a step's approvers: named users, every active holder of a role, the submitter's
 * manager `levels` up (users.manager_id), the user a user field of the record holds. Inactive
 * users and the system user never approve; a spec that finds nobody is reported, and a step
 * nobody can act on is the caller's error to raise.
 */
export async function resolveApprovers(
  db: Kysely<SystemDatabase>,
  step: ApprovalStepDefinition,
  record: Row,
  submitterId: string,
  roleIdsByName: ReadonlyMap<string, string>,
): Promise<ResolvedApprovers> {
  const candidates: { ids: string[]; spec: ReasonData }[] = [];
  const problems: ReasonData[] = [];
  for (const approver of step.approvers) {
    switch (approver.type) {
      case 'user':
        candidates.push({ ids: [approver.user_id], spec: reason('who_user', { id: approver.user_id }) });
        break;
      case 'field': {
        const value = record[approver.field];
        if (typeof value === 'string') candidates.push({ ids: [value.toLowerCase()], spec: reason('who_field_user', { name: approver.field }) });
        else problems.push(reason('approver_field_empty', { name: approver.field }));
        break;
      }
      case 'role': {
        const roleId = roleIdsByName.get(approver.role);
        const rows = roleId
          ? await db
              .selectFrom('crm_meta.user_roles as ur')
              .innerJoin('crm_meta.users as u', 'u.id', 'ur.user_id')
              .select('u.id')
              .where('ur.role_id', '=', roleId)
              .where('u.active', '=', true)
              .orderBy('u.name')
              .orderBy('u.id')
              .execute()
          : [];
        candidates.push({ ids: rows.map((r) => r.id), spec: reason('pool_role', { name: approver.role }) });
        break;
      }
      case 'manager': {
        const levels = approver.levels ?? 1;
        const found = await sql<{ id: string | null }>`
          with recursive chain(id, depth) as (
            select manager_id, 1 from crm_meta.users where id = ${submitterId}::uuid
            union all
            select u.manager_id, c.depth + 1 from crm_meta.users u join chain c on u.id = c.id where c.depth < ${levels}::int
          )
          select id from chain where depth = ${levels}::int`.execute(db);
        const id = found.rows[0]?.id;
        if (id) candidates.push({ ids: [id], spec: reason('who_manager', { levels }) });
        else problems.push(reason('no_manager_levels_up', { levels }));
        break;
      }
    }
  }
  const all = [...new Set(candidates.flatMap((c) => c.ids))];
  const active = all.length
    ? new Set((await sql<{ id: string }>`select id from crm_meta.users where id = any(${all}::uuid[]) and active and id <> ${SYSTEM_USER_ID}::uuid`.execute(db)).rows.map((r) => r.id))
    : new Set<string>();
  for (const candidate of candidates) {
    if (!candidate.ids.some((id) => active.has(id))) problems.push(candidate.ids.length ? reason('approver_no_active_user', { who: candidate.spec }) : reason('approver_nobody_active', { who: candidate.spec }));
  }
  return { userIds: all.filter((id) => active.has(id)), problems };
}
