import { ADMINISTRATOR_ROLE_ID } from '@crm/migrations';
import type { Actor } from '../actors';
import { CrmError, reason } from '../errors';
import type { MetadataChangeRunner, Revisioned } from '../metadata/change-runner';
import { checkRoleDocument, mergePatch } from '../metadata/documents';
import { newId } from '../metadata/ids';
import type { RoleDefinition } from '../metadata/types';
import { auditSubject } from '../metadata/change-audit';
import { userAuditDocuments } from './user-documents';
import type { Administration } from './administration';

/** Roles are metadata documents: validated, versioned by the revision, changed by administrators only. */
export class RoleService {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly administration: Administration,
  ) {}

  async list(actor: Actor): Promise<RoleDefinition[]> {
    await this.administration.requireAdmin(actor, 'roles');
    const access = await this.administration.access(actor);
    return [...access.metadata.security.roles.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(actor: Actor, name: string): Promise<RoleDefinition> {
    await this.administration.requireAdmin(actor, 'roles');
    const { security } = (await this.administration.access(actor)).metadata;
    const id = security.roleIdsByName.get(name);
    if (!id) throw new CrmError('role_not_found', { name });
    return security.roles.get(id)!;
  }

  async create(actor: Actor, document: unknown): Promise<Revisioned<RoleDefinition>> {
    await this.administration.requireAdmin(actor, 'roles');
    const definition = checkRoleDocument(document);
    return this.runner.run(actor, { object: '', kind: 'role', name: definition.name, action: 'create' }, async ({ trx, before }) => {
      if (before.roles.some((r) => r.definition.name === definition.name)) throw new CrmError('name_taken', { kind: 'Role', name: definition.name });
      const id = newId();
      await trx.insertInto('crm_meta.roles').values({ id, name: definition.name, definition: JSON.stringify(definition) }).execute();
      return { result: definition, audited: { id } };
    });
  }

  async update(actor: Actor, name: string, patch: unknown): Promise<Revisioned<RoleDefinition>> {
    await this.administration.requireAdmin(actor, 'roles');
    const draft = patch !== null && typeof patch === 'object' && 'name' in patch ? String((patch as { name: unknown }).name) : name;
    return this.runner.run(actor, { object: '', kind: 'role', name: draft, action: 'change' }, async ({ trx, before }) => {
      const stored = before.roles.find((r) => r.definition.name === name);
      if (!stored) throw new CrmError('role_not_found', { name });
      const definition = checkRoleDocument(mergePatch(stored.definition, patch));
      if (definition.name !== name && before.roles.some((r) => r.definition.name === definition.name)) throw new CrmError('name_taken', { kind: 'Role', name: definition.name });
      if (stored.id === ADMINISTRATOR_ROLE_ID && definition.admin !== true) {
        throw new CrmError('forbidden', { action: 'administer', subject: reason('subject_admin_role_always') });
      }
      await trx
        .updateTable('crm_meta.roles')
        .set({ name: definition.name, definition: JSON.stringify(definition), updated_at: new Date().toISOString() })
        .where('id', '=', stored.id)
        .execute();
      return { result: definition, audited: { id: stored.id } };
    });
  }

  async delete(actor: Actor, name: string): Promise<Revisioned<{ name: string }>> {
    await this.administration.requireAdmin(actor, 'roles');
    return this.runner.run(actor, { object: '', kind: 'role', name, action: 'delete' }, async ({ trx, before }) => {
      const stored = before.roles.find((r) => r.definition.name === name);
      if (!stored) throw new CrmError('role_not_found', { name });
      if (stored.id === ADMINISTRATOR_ROLE_ID) throw new CrmError('forbidden', { action: 'delete', subject: reason('subject_admin_role') });
      // The role's holders lose it with it (the assignments cascade): their change is part of this one.
      const holders = await trx.selectFrom('crm_meta.user_roles').select('user_id').where('role_id', '=', stored.id).execute();
      const held = await userAuditDocuments(trx, holders.map((h) => h.user_id));
      await trx.deleteFrom('crm_meta.roles').where('id', '=', stored.id).execute();
      const left = new Map((await userAuditDocuments(trx, holders.map((h) => h.user_id))).map((u) => [u.id, u]));
      const alsoChanged = held.map((user) => ({ kind: 'user' as const, subject: auditSubject('user', '', user.id), before: user, after: left.get(user.id) ?? null }));
      return { result: { name }, audited: { id: stored.id, alsoChanged } };
    });
  }
}
