import { sql, type Kysely } from 'kysely';
import { SYSTEM_USER_ID } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import type { Row } from '../records/statements';
import type { ApprovalStepDefinition } from './types';

/** Who must act on a step, worked out when the step starts; `problems` say why a spec found nobody. */
export interface ResolvedApprovers {
  /** Distinct active users, in the order the step names them. */
  readonly userIds: readonly string[];
  readonly problems: readonly string[];
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
  const candidates: { ids: string[]; spec: string }[] = [];
  const problems: string[] = [];
  for (const approver of step.approvers) {
    switch (approver.type) {
      case 'user':
        candidates.push({ ids: [approver.user_id], spec: `user ${approver.user_id}` });
        break;
      case 'field': {
        const value = record[approver.field];
        if (typeof value === 'string') candidates.push({ ids: [value.toLowerCase()], spec: `the user in "${approver.field}"` });
        else problems.push(`"${approver.field}" is empty on the record`);
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
        candidates.push({ ids: rows.map((r) => r.id), spec: `role "${approver.role}"` });
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
        if (id) candidates.push({ ids: [id], spec: `the submitter's manager ${levels} level(s) up` });
        else problems.push(`the submitter has no manager ${levels} level(s) up`);
        break;
      }
    }
  }
  const all = [...new Set(candidates.flatMap((c) => c.ids))];
  const active = all.length
    ? new Set((await sql<{ id: string }>`select id from crm_meta.users where id = any(${all}::uuid[]) and active and id <> ${SYSTEM_USER_ID}::uuid`.execute(db)).rows.map((r) => r.id))
    : new Set<string>();
  for (const candidate of candidates) {
    if (!candidate.ids.some((id) => active.has(id))) problems.push(candidate.ids.length ? `${candidate.spec}: no active user` : `${candidate.spec}: nobody active holds it`);
  }
  return { userIds: all.filter((id) => active.has(id)), problems };
}
