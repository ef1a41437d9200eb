import { sql, type Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { actorUserId, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import type { CompiledMetadata } from '../metadata/compile';
import { ActorAccess, type AccessSubject } from './actor-access';

/**
 * Works out, once per actor and metadata revision, who the actor is for access purposes: active
 * or not, roles, department, and the owners each data scope reaches. Everything that changes
 * those (users, roles, departments) bumps the metadata revision, which drops these entries.
 */
export class AccessResolver {
  readonly #cache = new LRUCache<string, ActorAccess>({ max: 10_000 });

  constructor(private readonly db: Kysely<SystemDatabase>) {}

  async forActor(actor: Actor, metadata: CompiledMetadata): Promise<ActorAccess> {
    const scopes = actor.kind === 'user' ? actor.scopes : undefined;
    const key = `${metadata.revision}:${actorUserId(actor)}:${scopes ? JSON.stringify(scopes) : ''}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const access = new ActorAccess(metadata, actor.kind === 'system' ? systemSubject(actorUserId(actor)) : await this.#load(actor.userId, scopes, metadata));
    this.#cache.set(key, access);
    return access;
  }

  async #load(userId: string, scopes: AccessSubject['tokenScopes'], metadata: CompiledMetadata): Promise<AccessSubject> {
    const user = await this.db
      .selectFrom('crm_meta.users')
      .select(['id', 'active', 'department_id'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) return { ...systemSubject(userId), unrestricted: false, admin: false, active: false, tokenScopes: scopes };
    const roleRows = await this.db.selectFrom('crm_meta.user_roles').select('role_id').where('user_id', '=', userId).execute();
    const roles = roleRows.map((r) => metadata.security.roles.get(r.role_id)).filter((r) => r !== undefined);
    const admin = roles.some((r) => r.admin === true);
    const tree = metadata.security.departments;
    const departmentId = user.department_id;
    const usersIn = async (departments: readonly string[]): Promise<string[]> => {
      if (departments.length === 0) return [userId];
      const rows = await sql<{ id: string }>`select id from crm_meta.users where department_id = any(${departments}::uuid[])`.execute(this.db);
      return [...new Set([userId, ...rows.rows.map((r) => r.id)])];
    };
    const [department, below] = departmentId
      ? await Promise.all([usersIn([departmentId]), usersIn(tree.subtree(departmentId))])
      : [[userId], [userId]];
    return {
      userId,
      unrestricted: admin,
      admin,
      active: user.active,
      departmentId,
      roleNames: roles.map((r) => r.name),
      tokenScopes: scopes,
      owners: { own: [userId], department, department_and_below: below },
      shareDepartmentIds: departmentId ? tree.lineage(departmentId) : [],
    };
  }
}

function systemSubject(userId: string): AccessSubject {
  return {
    userId,
    unrestricted: true,
    admin: true,
    active: true,
    departmentId: null,
    roleNames: [],
    tokenScopes: undefined,
    owners: { own: [userId], department: [userId], department_and_below: [userId] },
    shareDepartmentIds: [],
  };
}
