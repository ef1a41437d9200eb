import type { Transaction } from 'kysely';
import type { SchemaSession } from '../metadata/schema-session';
import type { Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import type { MissingDeliverySettings } from '../delivery';
import { CrmError, type FieldIssue } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner, Revisioned } from '../metadata/change-runner';
import { mergePatch } from '../metadata/documents';
import { newId } from '../metadata/ids';
import { requireActiveUsers, storedObject } from '../metadata/object-elements';
import type { Administration } from '../security/administration';
import { actionTypeOf } from './actions/registry';
import { undeliverableIssues } from './deliveries';
import type { WorkflowDefinition } from './types';
import { checkWorkflowDocument } from './workflow-schema';

/** What a saved workflow needs set up in the same transaction (the cron chain, round-robin counters). */
export type WorkflowSetup = (trx: Transaction<SystemDatabase>, workflowId: string, definition: WorkflowDefinition) => Promise<void>;

/**
 * Workflows as metadata: documents attached to an object (like approval processes), validated
 * as a whole with the rest of the metadata (validate-graph.ts), changed in one revisioned
 * transaction. Administrators only, reading included: a workflow names users, roles, addresses
 * and webhook URLs that people outside administration have no business learning.
 */
export class WorkflowService {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly cache: MetadataCache,
    private readonly administration: Administration,
    private readonly setup: WorkflowSetup,
    private readonly missingDelivery: MissingDeliverySettings,
  ) {}

  /** The object's workflows in name order, active or not. */
  async list(actor: Actor, objectName: string): Promise<WorkflowDefinition[]> {
    await this.administration.requireAdmin(actor, 'workflows');
    const workflows = (await this.#object(objectName)).workflows;
    return [...workflows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async get(actor: Actor, objectName: string, name: string): Promise<WorkflowDefinition> {
    await this.administration.requireAdmin(actor, 'workflows');
    const found = (await this.#object(objectName)).workflows.get(name);
    if (!found) throw new CrmError('workflow_not_found', { object: objectName, name });
    return found;
  }

  async create(actor: Actor, objectName: string, document: unknown): Promise<Revisioned<WorkflowDefinition>> {
    await this.administration.requireAdmin(actor, 'workflows');
    const definition = this.#deliverable(checkWorkflowDocument(document));
    return this.runner.run(actor, { object: objectName, kind: 'workflow', name: definition.name, action: 'create' }, async ({ trx, before }) => {
      const object = storedObject(before.objects, objectName);
      if (object.workflows.some((w) => w.definition.name === definition.name)) throw new CrmError('name_taken', { kind: 'Workflow', name: definition.name });
      await checkUsers(trx, definition);
      const id = newId();
      await trx.insertInto('crm_meta.workflows').values({ id, object_id: object.id, name: definition.name, definition: JSON.stringify(definition) }).execute();
      // After the whole metadata is validated: a cron expression is known to parse by then.
      return { result: definition, ddl: (_after, schema) => this.#schedule(schema, trx, id, definition), audited: { id } };
    });
  }

  /** A JSON merge patch of the workflow (`null` removes a property: `active: null` makes it active again). */
  async update(actor: Actor, objectName: string, name: string, patch: unknown): Promise<Revisioned<WorkflowDefinition>> {
    await this.administration.requireAdmin(actor, 'workflows');
    const draft = patch !== null && typeof patch === 'object' && 'name' in patch ? String((patch as { name: unknown }).name) : name;
    return this.runner.run(actor, { object: objectName, kind: 'workflow', name: draft, action: 'change' }, async ({ trx, before }) => {
      const object = storedObject(before.objects, objectName);
      const stored = object.workflows.find((w) => w.definition.name === name);
      if (!stored) throw new CrmError('workflow_not_found', { object: objectName, name });
      const definition = this.#deliverable(checkWorkflowDocument(mergePatch(stored.definition, patch)));
      if (definition.name !== name && object.workflows.some((w) => w.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: 'Workflow', name: definition.name });
      }
      await checkUsers(trx, definition);
      await trx
        .updateTable('crm_meta.workflows')
        .set({ name: definition.name, definition: JSON.stringify(definition), updated_at: new Date().toISOString() })
        .where('id', '=', stored.id)
        .execute();
      // Planned date-relative runs of the old definition re-check the workflow when they come due.
      return { result: definition, ddl: (_after, schema) => this.#schedule(schema, trx, stored.id, definition), audited: { id: stored.id } };
    });
  }

  /** Planned runs and counters go with it; its run log stays (pointing at no workflow). */
  async delete(actor: Actor, objectName: string, name: string): Promise<Revisioned<{ name: string }>> {
    await this.administration.requireAdmin(actor, 'workflows');
    return this.runner.run(actor, { object: objectName, kind: 'workflow', name, action: 'delete' }, async ({ trx, before }) => {
      const stored = storedObject(before.objects, objectName).workflows.find((w) => w.definition.name === name);
      if (!stored) throw new CrmError('workflow_not_found', { object: objectName, name });
      await trx.deleteFrom('crm_meta.workflows').where('id', '=', stored.id).execute();
      return { result: { name }, audited: { id: stored.id } };
    });
  }

  /**
   * Why a workflow document could not be delivered by this process, as issues at `at` + their
   * path (templates check all theirs before installing anything): see undeliverableIssues.
   */
  async deliveryIssues(actor: Actor, document: unknown, at = ''): Promise<FieldIssue[]> {
    await this.administration.requireAdmin(actor, 'workflows');
    return undeliverableIssues(document, this.missingDelivery, at);
  }

  /**
   * Active workflows saved when this process's settings allowed their deliveries and that it
   * cannot deliver now (the server restarted without CRM_WEBHOOK_SECRET, say): their writes still
   * succeed, and their jobs fail saying what to set. The server warns of them at start.
   */
  async undeliverable(actor: Actor): Promise<{ object: string; workflow: string; actions: string[] }[]> {
    await this.administration.requireAdmin(actor, 'workflows');
    const metadata = await this.cache.current();
    return metadata.objects().flatMap((object) => {
      const { onEvent, dated, scheduled } = object.activeWorkflows;
      const active = new Set([...Object.values(onEvent).flat(), ...dated, ...scheduled]);
      return [...active]
        .map((w) => ({ object: object.name, workflow: w.name, actions: undeliverableIssues(w.definition, this.missingDelivery).map((issue) => `${String(issue.params?.action)} (${String(issue.params?.variable)})`) }))
        .filter((w) => w.actions.length > 0);
    });
  }

  /** An active workflow whose webhooks or email this process could not deliver is refused on save. */
  /** Date and schedule triggers plan their jobs over the object's records: a dry run leaves that out. */
  #schedule(schema: SchemaSession, trx: Transaction<SystemDatabase>, id: string, definition: WorkflowDefinition): Promise<void> {
    return schema.run({ op: 'schedule_workflow', workflow: definition.name, rewrites: false }, { touchesRows: true, apply: () => this.setup(trx, id, definition) });
  }

  #deliverable(definition: WorkflowDefinition): WorkflowDefinition {
    const issues = undeliverableIssues(definition, this.missingDelivery);
    if (issues.length) throw new CrmError('metadata_invalid', { kind: 'workflow' }, issues);
    return definition;
  }

  async #object(objectName: string) {
    return (await this.cache.withObject(objectName)).object(objectName);
  }
}

/** Users a workflow names by id must be real, active people (users are not metadata, so validate-graph cannot tell). */
async function checkUsers(trx: Transaction<SystemDatabase>, definition: WorkflowDefinition): Promise<void> {
  const named: { id: string; path: string }[] = [];
  definition.actions.forEach((action, i) => named.push(...(actionTypeOf(action).namedUsers?.(action, `actions/${i}`) ?? [])));
  await requireActiveUsers(trx, 'workflow', named);
}
