import type { Transaction } from 'kysely';
import type { Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner, Revisioned } from '../metadata/change-runner';
import { describeDocument } from '../metadata/dependencies';
import { mergePatch } from '../metadata/documents';
import { newId } from '../metadata/ids';
import { requireActiveUsers, storedObject } from '../metadata/object-elements';
import type { Administration } from '../security/administration';
import { checkApprovalProcessDocument } from './process-schema';
import type { ApprovalProcessDefinition } from './types';

/**
 * Approval processes as metadata: documents attached to an object (like views), validated as a
 * whole with the rest of the metadata (validate-graph.ts), changed in one revisioned transaction.
 * Administrators only, reading included: a process names users, roles and the fields that steer
 * it, which people whose roles hide those fields must not learn from it.
 */
export class ApprovalProcessService {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly cache: MetadataCache,
    private readonly administration: Administration,
  ) {}

  async list(actor: Actor, objectName: string): Promise<ApprovalProcessDefinition[]> {
    await this.administration.requireAdmin(actor, 'approval processes');
    return [...(await this.#object(objectName)).approvalProcesses.values()];
  }

  async get(actor: Actor, objectName: string, name: string): Promise<ApprovalProcessDefinition> {
    await this.administration.requireAdmin(actor, 'approval processes');
    const found = (await this.#object(objectName)).approvalProcesses.get(name);
    if (!found) throw new CrmError('approval_process_not_found', { object: objectName, name });
    return found;
  }

  async create(actor: Actor, objectName: string, document: unknown): Promise<Revisioned<ApprovalProcessDefinition>> {
    await this.administration.requireAdmin(actor, 'approval processes');
    const definition = checkApprovalProcessDocument(document);
    return this.runner.run(actor, { object: objectName, kind: 'approval_process', name: definition.name, action: 'create' }, async ({ trx, before }) => {
      const object = storedObject(before.objects, objectName);
      if (object.approvalProcesses.some((p) => p.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: 'Approval process', name: definition.name });
      }
      await checkUsers(trx, definition);
      const id = newId();
      await trx
        .insertInto('crm_meta.approval_processes')
        .values({ id, object_id: object.id, name: definition.name, definition: JSON.stringify(definition) })
        .execute();
      return { result: definition, audited: { id } };
    });
  }

  async update(actor: Actor, objectName: string, name: string, patch: unknown): Promise<Revisioned<ApprovalProcessDefinition>> {
    await this.administration.requireAdmin(actor, 'approval processes');
    const draft = patch !== null && typeof patch === 'object' && 'name' in patch ? String((patch as { name: unknown }).name) : name;
    return this.runner.run(actor, { object: objectName, kind: 'approval_process', name: draft, action: 'change' }, async ({ trx, before }) => {
      const object = storedObject(before.objects, objectName);
      const stored = object.approvalProcesses.find((p) => p.definition.name === name);
      if (!stored) throw new CrmError('approval_process_not_found', { object: objectName, name });
      const definition = checkApprovalProcessDocument(mergePatch(stored.definition, patch));
      if (definition.name !== name && object.approvalProcesses.some((p) => p.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: 'Approval process', name: definition.name });
      }
      await checkUsers(trx, definition);
      // Requests already running keep the copy they were submitted with.
      await trx
        .updateTable('crm_meta.approval_processes')
        .set({ name: definition.name, definition: JSON.stringify(definition), updated_at: new Date().toISOString() })
        .where('id', '=', stored.id)
        .execute();
      return { result: definition, audited: { id: stored.id } };
    });
  }

  /** Refused while requests of the process are pending (recall or decide them first; or deactivate the process). */
  async delete(actor: Actor, objectName: string, name: string): Promise<Revisioned<{ name: string }>> {
    await this.administration.requireAdmin(actor, 'approval processes');
    return this.runner.run(actor, { object: objectName, kind: 'approval_process', name, action: 'delete' }, async ({ trx, before }) => {
      const object = storedObject(before.objects, objectName);
      const stored = object.approvalProcesses.find((p) => p.definition.name === name);
      if (!stored) throw new CrmError('approval_process_not_found', { object: objectName, name });
      const pending = await trx
        .selectFrom('crm_meta.approval_requests')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('process_id', '=', stored.id)
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      if (Number(pending.n) > 0) {
        throw new CrmError('dependency_exists', {
          action: 'delete',
          subject: describeDocument({ kind: 'approval_process', name: `${objectName}.${name}`, label: stored.definition.label }),
          dependents: { en: `${pending.n} pending approval request(s)`, 'zh-CN': `${pending.n} 个待处理的审批请求` },
        });
      }
      await trx.deleteFrom('crm_meta.approval_processes').where('id', '=', stored.id).execute();
      return { result: { name }, audited: { id: stored.id } };
    });
  }

  async #object(objectName: string) {
    return (await this.cache.withObject(objectName)).object(objectName);
  }
}

/** User approvers must be real, active people (users are not metadata, so validate-graph cannot tell). */
async function checkUsers(trx: Transaction<SystemDatabase>, definition: ApprovalProcessDefinition): Promise<void> {
  const named = definition.steps.flatMap((step, s) =>
    step.approvers.flatMap((a, i) => (a.type === 'user' ? [{ id: a.user_id.toLowerCase(), path: `steps/${s}/approvers/${i}/user_id` }] : [])),
  );
  await requireActiveUsers(trx, 'approval process', named);
}
