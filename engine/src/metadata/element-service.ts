import { assertActor, type Actor } from '../actors';
import { CrmError } from '../errors';
import type { MetadataCache } from './cache';
import type { MetadataChangeRunner, Revisioned } from './change-runner';
import { mergePatch } from './documents';
import { newId } from './ids';
import type { StoredObject } from './snapshot';
import { liveObject } from '../fields/field-storage';

interface ElementKind<D extends { name: string; type: string }> {
  readonly kind: 'layout' | 'view';
  readonly table: 'crm_meta.layouts' | 'crm_meta.views';
  readonly check: (document: unknown) => D;
  readonly stored: (object: StoredObject) => readonly { id: string; definition: D }[];
  readonly notFound: 'layout_not_found' | 'view_not_found';
}

/**
 * Layouts and views are documents attached to an object, with no DDL: one service shape serves
 * both. Validation of what they name happens in the change runner (validate-graph.ts).
 */
export class ElementService<D extends { name: string; type: string }> {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly cache: MetadataCache,
    private readonly spec: ElementKind<D>,
  ) {}

  async list(actor: Actor, objectName: string): Promise<D[]> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    return [...(this.spec.kind === 'layout' ? object.layouts : object.views).values()] as unknown as D[];
  }

  async get(actor: Actor, objectName: string, name: string): Promise<D> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const found = (this.spec.kind === 'layout' ? object.layouts : object.views).get(name);
    if (!found) throw new CrmError(this.spec.notFound, { object: objectName, name });
    return found as unknown as D;
  }

  async create(actor: Actor, objectName: string, document: unknown): Promise<Revisioned<D>> {
    assertActor(actor);
    const definition = this.spec.check(document);
    return this.runner.run(actor, { object: objectName, kind: this.spec.kind, name: definition.name, action: 'create' }, async ({ trx, before }) => {
      const object = this.#object(before.objects, objectName);
      if (this.spec.stored(object).some((e) => e.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: this.spec.kind === 'layout' ? 'Layout' : 'View', name: definition.name });
      }
      await trx
        .insertInto(this.spec.table)
        .values({ id: newId(), object_id: object.id, name: definition.name, type: definition.type, definition: JSON.stringify(definition) })
        .execute();
      return { result: definition };
    });
  }

  async update(actor: Actor, objectName: string, name: string, patch: unknown): Promise<Revisioned<D>> {
    assertActor(actor);
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
      return { result: definition };
    });
  }

  async delete(actor: Actor, objectName: string, name: string): Promise<Revisioned<{ name: string }>> {
    assertActor(actor);
    return this.runner.run(actor, { object: objectName, kind: this.spec.kind, name, action: 'delete' }, async ({ trx, before }) => {
      const object = this.#object(before.objects, objectName);
      const stored = this.spec.stored(object).find((e) => e.definition.name === name);
      if (!stored) throw new CrmError(this.spec.notFound, { object: objectName, name });
      await trx.deleteFrom(this.spec.table).where('id', '=', stored.id).execute();
      return { result: { name } };
    });
  }

  #object(objects: readonly StoredObject[], name: string): StoredObject {
    const object = liveObject({ revision: 0, objects }, name);
    if (!object) throw new CrmError('object_not_found', { object: name });
    return object;
  }
}
