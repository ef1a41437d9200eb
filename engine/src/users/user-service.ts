import { sql, type Kysely } from 'kysely';
import { notifyAuthChange } from '../auth/invalidation';
import { assertActor, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { crmErrorOf } from '../db/pg-errors';
import { CrmError, reason, validationError, type FieldIssue } from '../errors';
import { compileSchema, schemaReason } from '../metadata/ajv';
import { auditSubject, documentChangeEntry, type AuditDocument } from '../metadata/change-audit';
import type { MetadataChangeRunner } from '../metadata/change-runner';
import { newId } from '../metadata/ids';
import type { Administration } from '../security/administration';
import { selectUsers, userAuditDocuments } from '../security/user-documents';
import { recordAudit } from '../db/audit-entries';

/**
 * Users: who exists, which department they belong to, who their manager is and which roles they
 * hold. Everything but name and email decides what someone may see, so those changes are
 * metadata changes (revisioned, notified to every process) and only administrators make them.
 */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly active: boolean;
  readonly department_id: string | null;
  readonly manager_id: string | null;
  readonly roles: string[];
  readonly created_at: string;
  readonly updated_at: string;
}

export interface UserInput {
  readonly name?: string;
  readonly email?: string | null;
  readonly active?: boolean;
  readonly department_id?: string | null;
  readonly manager_id?: string | null;
  /** Role API names; replaces the user's roles. */
  readonly roles?: readonly string[];
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const userSchema = compileSchema({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email: { anyOf: [{ type: 'null' }, { type: 'string', format: 'email', maxLength: 254 }] },
    active: { type: 'boolean' },
    department_id: { anyOf: [{ type: 'null' }, { type: 'string', pattern: UUID }] },
    manager_id: { anyOf: [{ type: 'null' }, { type: 'string', pattern: UUID }] },
    roles: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 100 },
  },
  additionalProperties: false,
});

function check(input: unknown, creating: boolean): UserInput {
  const issues: FieldIssue[] = [];
  if (!userSchema(input)) {
    for (const e of userSchema.errors ?? []) {
      const path = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : e.instancePath.slice(1);
      issues.push(e.keyword === 'additionalProperties' ? { path, code: 'unknown_field' } : { path, code: 'invalid', params: { reason: schemaReason(e) } });
    }
  }
  if (creating && !(input as UserInput)?.name) issues.push({ path: 'name', code: 'required' });
  if (issues.length) throw validationError(issues);
  return input as UserInput;
}

export interface UserServiceHooks {
  /** Called after a committed change of `active` (the auth cache drops the user's credentials). */
  readonly onActiveChanged?: (userId: string) => void;
}

const ACCESS_KEYS = ['active', 'department_id', 'manager_id', 'roles'] as const;

export class UserService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly runner: MetadataChangeRunner,
    private readonly administration: Administration,
    private readonly hooks: UserServiceHooks = {},
  ) {}

  async create(actor: Actor, input: unknown): Promise<User> {
    await this.administration.requireAdmin(actor, 'users');
    const user = check(input, true);
    const id = newId();
    try {
      await this.runner.run(actor, { object: '', kind: 'user', name: id, action: 'create' }, async ({ trx, before }) => {
        await trx
          .insertInto('crm_meta.users')
          .values({ id, name: user.name!, email: user.email ?? null, active: user.active ?? true, department_id: user.department_id ?? null, manager_id: user.manager_id ?? null })
          .execute();
        await this.#setRoles(trx, id, user.roles ?? [], roleIdsByName(before.roles));
        return { result: {}, audited: { id, before: null, after: await this.#auditDocument(trx, id) } };
      });
    } catch (error) {
      throw translate(error, user);
    }
    return this.#read(id);
  }

  /** Every signed-in user may look users up (to pick an owner, to read who did what). */
  async get(actor: Actor, id: string): Promise<User> {
    assertActor(actor);
    return this.#read(id);
  }

  async list(actor: Actor): Promise<User[]> {
    assertActor(actor);
    return this.#select().orderBy('u.name').orderBy('u.id').execute() as Promise<User[]>;
  }

  async update(actor: Actor, id: string, input: unknown): Promise<User> {
    await this.administration.requireAdmin(actor, 'users');
    const user = check(input, false);
    // Nobody raises their own privileges: roles are always changed by someone else.
    if (user.roles !== undefined && actor.kind === 'user' && actor.userId === id.toLowerCase()) {
      throw new CrmError('forbidden', { action: 'change_own_roles', subject: reason('subject_yourself') });
    }
    await this.#read(id);
    const { roles, ...columns } = user;
    const accessChange = ACCESS_KEYS.some((k) => k in user);
    try {
      const write = async (trx: Kysely<SystemDatabase>, roleIds?: ReadonlyMap<string, string>) => {
        const before = await this.#auditDocument(trx, id);
        if (Object.keys(columns).length) await trx.updateTable('crm_meta.users').set({ ...columns, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
        if (roles !== undefined && roleIds) await this.#setRoles(trx, id, roles, roleIds);
        if (user.manager_id) await refuseManagerCycle(trx, id);
        // Deactivating must end the user's sessions and tokens in every process: the NOTIFY goes out with the commit.
        if (user.active !== undefined) await notifyAuthChange(trx, { kind: 'user', id });
        return { id, before, after: await this.#auditDocument(trx, id) };
      };
      if (accessChange) {
        await this.runner.run(actor, { object: '', kind: 'user', name: id, action: 'change' }, async ({ trx, before }) => {
          return { result: {}, audited: await write(trx, roleIdsByName(before.roles)) };
        });
      } else {
        // Name and email decide nothing about access: no metadata revision, but audited all the same.
        await this.db.transaction().execute(async (trx) => {
          const change = await write(trx);
          await recordAudit(trx, documentChangeEntry(actor, { kind: 'user', action: 'change', subject: auditSubject('user', '', id), ...change }));
        });
      }
    } catch (error) {
      throw translate(error, user);
    }
    if (user.active !== undefined) this.hooks.onActiveChanged?.(id);
    return this.#read(id);
  }

  /**
   * The signed-in user's own name, the one thing anyone changes about themselves: it is how the
   * app greets them and how others find them. E-mail, roles, department, manager and activity stay
   * an administrator's (`update`). Audited like any change of a user.
   */
  async renameSelf(actor: Actor, input: unknown): Promise<User> {
    assertActor(actor);
    if (actor.kind !== 'user') throw new CrmError('forbidden', { action: 'rename_self', subject: reason('subject_yourself') });
    const body = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    const issues: FieldIssue[] = Object.keys(body)
      .filter((key) => key !== 'name')
      .map((path) => ({ path, code: 'unknown_field' as const }));
    const name = typeof body.name === 'string' ? body.name.trim() : undefined;
    if (!name) issues.push({ path: 'name', code: 'required' });
    if (issues.length) throw validationError(issues);
    const { name: checked } = check({ name }, false);
    const id = actor.userId;
    await this.#read(id);
    await this.db.transaction().execute(async (trx) => {
      const before = await this.#auditDocument(trx, id);
      await trx.updateTable('crm_meta.users').set({ name: checked!, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
      await recordAudit(trx, documentChangeEntry(actor, { kind: 'user', action: 'change', subject: auditSubject('user', '', id), before, after: await this.#auditDocument(trx, id) }));
    });
    return this.#read(id);
  }

  async #setRoles(trx: Kysely<SystemDatabase>, userId: string, names: readonly string[], byName: ReadonlyMap<string, string>): Promise<void> {
    const unknown = names.filter((n) => !byName.has(n));
    if (unknown.length) throw validationError(unknown.map((n) => ({ path: `roles/${n}`, code: 'invalid' as const, params: { reason: reason('role_missing', { name: n }) } })));
    await trx.deleteFrom('crm_meta.user_roles').where('user_id', '=', userId).execute();
    if (names.length) await trx.insertInto('crm_meta.user_roles').values(names.map((n) => ({ user_id: userId, role_id: byName.get(n)! }))).execute();
  }

  async #auditDocument(trx: Kysely<SystemDatabase>, id: string): Promise<AuditDocument> {
    const [document] = await userAuditDocuments(trx, [id]);
    if (!document) throw new CrmError('user_not_found', { id });
    return document;
  }

  #select() {
    return selectUsers(this.db);
  }

  async #read(id: string): Promise<User> {
    const user = /^[0-9a-f-]{36}$/i.test(id) ? await this.#select().where('u.id', '=', id).executeTakeFirst() : undefined;
    if (!user) throw new CrmError('user_not_found', { id });
    return user as User;
  }
}

function roleIdsByName(roles: readonly { id: string; definition: { name: string } }[]): ReadonlyMap<string, string> {
  return new Map(roles.map((r) => [r.definition.name, r.id]));
}

async function refuseManagerCycle(db: Kysely<SystemDatabase>, userId: string): Promise<void> {
  const result = await sql<{ cycle: boolean }>`
    with recursive chain(id, depth) as (
      select manager_id, 1 from crm_meta.users where id = ${userId}::uuid
      union all
      select u.manager_id, c.depth + 1 from crm_meta.users u join chain c on u.id = c.id where c.depth < 100
    )
    select exists (select 1 from chain where id = ${userId}::uuid) as cycle`.execute(db);
  if (result.rows[0]?.cycle) throw validationError([{ path: 'manager_id', code: 'invalid', params: { reason: reason('manages_self') } }]);
}

function translate(error: unknown, user: UserInput): unknown {
  return crmErrorOf(error, {
    unique: () => validationError([{ path: 'email', code: 'unique', params: { value: user.email ?? '' } }]),
    reference: (pg) => validationError([{ path: pg.constraint?.includes('manager') ? 'manager_id' : 'department_id', code: 'reference_not_found' }]),
  });
}
