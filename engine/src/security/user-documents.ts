import { sql, type Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import type { AuditDocument } from '../metadata/change-audit';

/**
 * Users as the rest of the engine reads them (moved from users/user-service.ts so that role
 * changes, which audit the users they touch, need not import the user service).
 */
export function selectUsers(db: Kysely<SystemDatabase>) {
  return db
    .selectFrom('crm_meta.users as u')
    .select(['u.id', 'u.name', 'u.email', 'u.active', 'u.department_id', 'u.manager_id', 'u.created_at', 'u.updated_at'])
    .select(
      sql<string[]>`coalesce((select array_agg(r.name order by r.name) from crm_meta.user_roles ur join crm_meta.roles r on r.id = ur.role_id where ur.user_id = u.id), '{}')`.as('roles'),
    );
}

/** Users as the audit log shows them: who they are and what decides what they may do; never credentials. */
export async function userAuditDocuments(db: Kysely<SystemDatabase>, ids: readonly string[]): Promise<(AuditDocument & { readonly id: string })[]> {
  if (ids.length === 0) return [];
  const users = await selectUsers(db).where('u.id', 'in', ids).orderBy('u.id').execute();
  return users.map(({ created_at: _created, updated_at: _updated, ...document }) => document);
}
