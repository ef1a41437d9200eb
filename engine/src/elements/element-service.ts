import type { Actor } from '../actors';
import type { ActorAccess } from '../security/actor-access';
import type { Administration } from '../security/administration';
import { usable } from '../security/usable';
import { seesAllMetadata } from '../security/visible-metadata';
import { CrmError } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner, Revisioned } from '../metadata/change-runner';
import { mergePatch } from '../metadata/documents';
import { newId } from '../metadata/ids';
import { liveObject, type StoredObject } from '../metadata/snapshot';

interface ElementKind<D extends { name: string; type: string }> {
  readonly kind: 'layout' | 'view';
  readonly table: 'crm_meta.layouts' | 'crm_meta.views';
  readonly check: (document: unknown) => D;
  readonly stored: (object: StoredObject) => readonly { id: string; definition: D }[];
  readonly notFound: 'layout_not_found' | 'view_not_found';
  /** The element as an actor sees it, or undefined when it cannot be shown at all (security/visible-metadata.ts). */
  readonly visible: (access: ActorAccess, element: D, hidden: ReadonlySet<string>) => D | undefined;
}

/**
 * Layouts and views are documents attached to an object, with no DDL: one service shape serves
 * both. Validation of what they name happens in the change runner (validate-graph.ts).
 */
export class ElementService<D extends { name: string; type: string }> {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly cache: MetadataCache,
    private readonly administration: Administration,
    private readonly spec: ElementKind<D>,
  ) {}

  async list(actor: Actor, objectName: string): Promise<D[]> {
    const { elements, visible } = await this.#readable(actor, objectName);
    return [...elements.values()].flatMap((element) => visible(element) ?? []);
  }

  /** An element the actor may not see (see ElementKind.visible) is, to them, one that does not exist. */
  async get(actor: Actor, objectName: string, name: string): Promise<D> {
    const { elements, visible } = await this.#readable(actor, objectName);
    const found = elements.get(name);
    const shown = found && visible(found);
    if (!shown) throw new CrmError(this.spec.notFound, { object: objectName, name });
    return shown;
  }

  /** Layouts and views as the actor may see them: administrators see them as stored. */
  async #readable(actor: Actor, objectName: string) {
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const access = await this.administration.access(actor);
    if (!usable(access, objectName)) throw new CrmError('object_not_found', { object: objectName });
    const elements = (this.spec.kind === 'layout' ? object.layouts : object.views) as unknown as ReadonlyMap<string, D>;
    const hidden = seesAllMetadata(access) ? undefined : access.object(objectName).hidden;
    const visible = (element: D): D | undefined => (hidden ? this.spec.visible(access, element, hidden) : element);
    return { elements, visible };
  }

  async create(actor: Actor, objectName: string, document: unknown): Promise<Revisioned<D>> {
    await this.administration.requireAdmin(actor, `${this.spec.kind}s`);
    const definition = this.spec.check(document);
    return this.runner.run(actor, { object: objectName, kind: this.spec.kind, name: definition.name, action: 'create' }, async ({ trx, before }) => {
      const object = this.#object(before.objects, objectName);
      if (this.spec.stored(object).some((e) => e.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: this.spec.kind === 'layout' ? 'Layout' : 'View', name: definition.name });
      }
      const id = newId();
      await trx
        .insertInto(this.spec.table)
        .values({ id, object_id: object.id, name: definition.name, type: definition.type, definition: JSON.stringify(definition) })
        .execute();
      return { result: definition, audited: { id } };
    });
  }

  async update(actor: Actor, objectName: string, name: string, patch: unknown): Promise<Revisioned<D>> {
    await this.administration.requireAdmin(actor, `${this.spec.kind}s`);
    const draft = patch !== null && typeof patch === 'object' && 'name' in patch ? String((patch as { name: unknown }).name) : name;
    return this.runner.run(actor, { object: objectName, kind: this.spec.kind, name: draft, action: 'change' }, async ({ trx, before }) => {
      const object = this.#object(before.objects, objectName);
      const stored = this.spec.stored(object).find((e) => e.definition.name === name);
      if (!stored) throw new CrmError(this.spec.notFound, { object: objectName, name });
      const definition = this.spec.check(mergePatch(stored.definition, patch));
      if (definition.name !== name && this.spec.stored(object).some((e) => e.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: this.spec.kind === 'layout' ? 'Layout' : 'View', name: definition.name });
      }
      await trx
        .updateTable(this.spec.table)
        .set({ name: definition.name, type: definition.type, definition: JSON.stringify(definition), updated_at: new Date().toISOString() })
        .where('id', '=', stored.id)
        .execute();
      return { result: definition, audited: { id: stored.id } };
    });
  }

  async delete(actor: Actor, objectName: string, name: string): Promise<Revisioned<{ name: string }>> {
    await this.administration.requireAdmin(actor, `${this.spec.kind}s`);
    return this.runner.run(actor, { object: objectName, kind: this.spec.kind, name, action: 'delete' }, async ({ trx, before }) => {
      const object = this.#object(before.objects, objectName);
      const stored = this.spec.stored(object).find((e) => e.definition.name === name);
      if (!stored) throw new CrmError(this.spec.notFound, { object: objectName, name });
      await trx.deleteFrom(this.spec.table).where('id', '=', stored.id).execute();
      return { result: { name }, audited: { id: stored.id } };
    });
  }

  #object(objects: readonly StoredObject[], name: string): StoredObject {
    const object = liveObject({ objects }, name);
    if (!object) throw new CrmError('object_not_found', { object: name });
    return object;
  }
}
