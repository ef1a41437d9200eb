import type { Kysely } from 'kysely';
import type { Actor } from '../actors';
import { usable } from '../security/usable';
import type { ActorAccess } from '../security/actor-access';
import type { Administration } from '../security/administration';
import { seesAllMetadata, visibleObject } from '../security/visible-metadata';
import { CrmError, reason } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner, Revisioned } from '../metadata/change-runner';
import { checkFieldDocument, checkObjectDocument, mergePatch } from '../metadata/documents';
import { newId } from '../metadata/ids';
import { objectRenameUpdates, roleObjectRemoval, type DocumentUpdate } from '../metadata/references';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import { writeDocumentUpdates } from '../metadata/write-documents';
import { createRecordTable, dropTable, renameTable } from '../schema-sync/ddl';
import { createFieldStorage, liveObject, syncTitleSearch } from '../fields/field-storage';

/** A new object, optionally with its first fields (so title_field can name one of them). */
export type ObjectInput = ObjectDefinition & { readonly fields?: readonly FieldDefinition[] };

export interface ObjectSummary extends ObjectDefinition {
  readonly deleted_at?: string;
}

/** An object's settings as the actor may see them (a hidden title field left out). */
function shownTo(access: ActorAccess, name: string, definition: ObjectDefinition): ObjectDefinition {
  return seesAllMetadata(access) ? definition : visibleObject(definition, access.object(name).hidden);
}

/** Physical table of an object in the recycle bin: not a valid API name, so it never clashes with one. */
function deletedTableName(objectId: string): string {
  return `_deleted_${objectId.replace(/-/g, '')}`;
}

export class ObjectService {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly cache: MetadataCache,
    private readonly administration: Administration,
  ) {}

  /** The objects the actor may use (all of them for administrators), each as the actor may see it. */
  async list(actor: Actor): Promise<ObjectDefinition[]> {
    const access = await this.administration.access(actor);
    return access.metadata.objects().filter((o) => usable(access, o.name)).map((o) => shownTo(access, o.name, o.definition));
  }

  /** An object the actor may not use is, to them, an object that does not exist. */
  async get(actor: Actor, name: string): Promise<ObjectDefinition> {
    const metadata = await this.cache.withObject(name);
    const access = await this.administration.access(actor);
    const object = metadata.object(name);
    if (!usable(access, name)) throw new CrmError('object_not_found', { object: name });
    return shownTo(access, name, object.definition);
  }

  /** Objects in the recycle bin, with when they were deleted. */
  async listDeleted(actor: Actor): Promise<ObjectSummary[]> {
    await this.administration.requireAdmin(actor, 'objects');
    return (await this.cache.current()).deletedObjects().map((o) => ({ ...o.definition, deleted_at: o.deletedAt! }));
  }

  async create(actor: Actor, input: ObjectInput): Promise<Revisioned<ObjectDefinition>> {
    await this.administration.requireAdmin(actor, 'objects');
    const { fields: fieldInputs = [], ...document } = (input ?? {}) as ObjectInput;
    const definition = checkObjectDocument(document);
    if (!Array.isArray(fieldInputs)) throw new CrmError('metadata_invalid', { kind: 'object', summary: reason('must_be_array', { property: 'fields' }) });
    const fields = fieldInputs.map((f) => checkFieldDocument(f));
    const duplicate = fields.find((f, i) => fields.findIndex((g) => g.name === f.name) !== i);
    if (duplicate) throw new CrmError('name_taken', { kind: 'Field', name: duplicate.name });
    return this.runner.run(actor, { object: definition.name, kind: 'object', name: definition.name, action: 'create' }, async ({ trx, before }) => {
      if (liveObject(before, definition.name)) throw new CrmError('name_taken', { kind: 'Object', name: definition.name });
      const id = newId();
      await trx
        .insertInto('crm_meta.objects')
        .values({ id, name: definition.name, table_name: definition.name, definition: JSON.stringify(definition) })
        .execute();
      const fieldIds = fields.map(() => newId());
      for (const [index, field] of fields.entries()) {
        await trx
          .insertInto('crm_meta.fields')
          .values({ id: fieldIds[index]!, object_id: id, name: field.name, type: field.type, position: index + 1, definition: JSON.stringify(field) })
          .execute();
      }
      return {
        result: definition,
        ddl: async (after, schema) => {
          await createRecordTable(schema, definition.name, id);
          for (const [index, field] of fields.entries()) {
            await createFieldStorage(schema, after, definition.name, fieldIds[index]!, field);
          }
        },
        audited: { id },
      };
    });
  }

  /** Changes labels and flags; a new `name` renames the table and every reference to the object. */
  async update(actor: Actor, name: string, patch: unknown): Promise<Revisioned<ObjectDefinition>> {
    await this.administration.requireAdmin(actor, 'objects');
    return this.runner.run(actor, { object: name, kind: 'object', name, action: 'change' }, async ({ trx, before, kinds }) => {
      const stored = liveObject(before, name);
      if (!stored) throw new CrmError('object_not_found', { object: name });
      const definition = checkObjectDocument(mergePatch(stored.definition, patch));
      const renamed = definition.name !== name;
      if (renamed && liveObject(before, definition.name)) throw new CrmError('name_taken', { kind: 'Object', name: definition.name });
      const updates: DocumentUpdate[] = renamed ? objectRenameUpdates(before, kinds, name, definition.name) : [];
      await trx
        .updateTable('crm_meta.objects')
        .set({
          name: definition.name,
          table_name: renamed ? definition.name : stored.tableName,
          definition: JSON.stringify(definition),
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', stored.id)
        .execute();
      await writeDocumentUpdates(trx, kinds, updates);
      return {
        result: definition,
        ddl: async (after, schema) => {
          if (renamed) await renameTable(schema, stored.tableName, definition.name);
          if (definition.title_field !== stored.definition.title_field) await syncTitleSearch(schema, before, after, stored.id);
        },
        audited: { id: stored.id },
      };
    });
  }

  /**
   * Moves the object to the recycle bin: its table and data stay (renamed aside) until purged.
   * Refused while another object still refers to it.
   */
  async delete(actor: Actor, name: string): Promise<Revisioned<{ name: string }>> {
    await this.administration.requireAdmin(actor, 'objects');
    return this.runner.run(actor, { object: name, kind: 'object', name, action: 'delete' }, async ({ trx, before, kinds }) => {
      const stored = liveObject(before, name);
      if (!stored) throw new CrmError('object_not_found', { object: name });
      const parked = deletedTableName(stored.id);
      // Related lists only display the object; they go with it.
      const updates: DocumentUpdate[] = [];
      for (const other of before.objects) {
        if (other.deletedAt !== null || other.id === stored.id) continue;
        for (const layout of other.layouts) {
          const def = layout.definition;
          if (def.type === 'detail' && def.related_lists?.some((l) => l.object === name)) {
            updates.push({ kind: 'layout', id: layout.id, definition: { ...def, related_lists: def.related_lists.filter((l) => l.object !== name) } });
          }
        }
      }
      // Roles' entries for the object go with it (a restore starts it with no grants).
      updates.push(...roleObjectRemoval(before, name));
      await writeDocumentUpdates(trx, kinds, updates);
      await trx
        .updateTable('crm_meta.objects')
        .set({ deleted_at: new Date().toISOString(), table_name: parked })
        .where('id', '=', stored.id)
        .execute();
      return { result: { name }, ddl: (_after, schema) => renameTable(schema, stored.tableName, parked), audited: { id: stored.id } };
    });
  }

  async restore(actor: Actor, name: string): Promise<Revisioned<ObjectDefinition>> {
    await this.administration.requireAdmin(actor, 'objects');
    return this.runner.run(actor, { object: name, kind: 'object', name, action: 'restore' }, async ({ trx, before }) => {
      const stored = [...before.objects].reverse().find((o) => o.deletedAt !== null && o.definition.name === name);
      if (!stored) throw new CrmError('object_not_found', { object: name });
      if (liveObject(before, name)) throw new CrmError('name_taken', { kind: 'Object', name });
      await trx.updateTable('crm_meta.objects').set({ deleted_at: null, table_name: name }).where('id', '=', stored.id).execute();
      return { result: stored.definition, ddl: (_after, schema) => renameTable(schema, stored.tableName, name), audited: { id: stored.id } };
    });
  }

  /** Deletes an object in the recycle bin for good, with all its records. */
  async purge(actor: Actor, name: string): Promise<Revisioned<{ name: string }>> {
    await this.administration.requireAdmin(actor, 'objects');
    return this.runner.run(actor, { object: name, kind: 'object', name, action: 'delete' }, async ({ trx, before }) => {
      const stored = [...before.objects].reverse().find((o) => o.deletedAt !== null && o.definition.name === name);
      if (!stored) throw new CrmError('object_not_found', { object: name });
      await trx.deleteFrom('crm_meta.objects').where('id', '=', stored.id).execute();
      return { result: { name }, ddl: (_after, schema) => dropTable(schema, stored.tableName), audited: { id: stored.id } };
    });
  }
}

export { usable };
