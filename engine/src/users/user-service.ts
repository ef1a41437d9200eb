import type { Kysely } from 'kysely';
import { notifyAuthChange } from '../auth/invalidation';
import { assertActor, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { asPgError, PG } from '../db/pg-errors';
import { CrmError, validationError, type FieldIssue } from '../errors';
import { compileSchema } from '../metadata/ajv';
import { newId } from '../metadata/ids';

/**
 * The users system table: what `user` fields, created_by and owner_id point at. Identity,
 * passwords and roles belong to the access-control layer; this is only who exists.
 */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly active: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface UserInput {
  readonly name?: string;
  readonly email?: string | null;
  readonly active?: boolean;
}

const userSchema = compileSchema({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email: { anyOf: [{ type: 'null' }, { type: 'string', format: 'email', maxLength: 254 }] },
    active: { type: 'boolean' },
  },
  additionalProperties: false,
});

function check(input: unknown, creating: boolean): UserInput {
  const issues: FieldIssue[] = [];
  if (!userSchema(input)) {
    for (const e of userSchema.errors ?? []) {
      const path = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : e.instancePath.slice(1);
      issues.push(e.keyword === 'additionalProperties' ? { path, code: 'unknown_field' } : { path, code: 'invalid', params: { reason: e.message ?? 'is not valid' } });
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

export class UserService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly hooks: UserServiceHooks = {},
  ) {}

  async create(actor: Actor, input: unknown): Promise<User> {
    assertActor(actor);
    const user = check(input, true);
    try {
      return await this.db
        .insertInto('crm_meta.users')
        .values({ id: newId(), name: user.name!, email: user.email ?? null, active: user.active ?? true })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      throw translate(error, user);
    }
  }

  async get(actor: Actor, id: string): Promise<User> {
    assertActor(actor);
    const user = /^[0-9a-f-]{36}$/i.test(id) ? await this.db.selectFrom('crm_meta.users').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (!user) throw new CrmError('user_not_found', { id });
    return user;
  }

  async list(actor: Actor): Promise<User[]> {
    assertActor(actor);
    return this.db.selectFrom('crm_meta.users').selectAll().orderBy('name').orderBy('id').execute();
  }

  async update(actor: Actor, id: string, input: unknown): Promise<User> {
    assertActor(actor);
    const user = check(input, false);
    try {
      const write = (db: Kysely<SystemDatabase>) =>
        db.updateTable('crm_meta.users').set({ ...user, updated_at: new Date().toISOString() }).where('id', '=', id).returningAll().executeTakeFirst();
      // Changing `active` must end (or restore) the user's sessions and API tokens in every process:
      // the NOTIFY goes out with the commit, and this process's cache is told directly.
      const updated =
        user.active === undefined
          ? await write(this.db)
          : await this.db.transaction().execute(async (trx) => {
              const row = await write(trx);
              if (row) await notifyAuthChange(trx, { kind: 'user', id: row.id });
              return row;
            });
      if (!updated) throw new CrmError('user_not_found', { id });
      if (user.active !== undefined) this.hooks.onActiveChanged?.(updated.id);
      return updated;
    } catch (error) {
      throw translate(error, user);
    }
  }
}

function translate(error: unknown, user: UserInput): unknown {
  if (asPgError(error)?.code === PG.uniqueViolation) {
    return validationError([{ path: 'email', code: 'unique', params: { value: user.email ?? '' } }]);
  }
  return error;
}
