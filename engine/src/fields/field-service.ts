import { sql } from 'kysely';
import type { Actor } from '../actors';
import type { Administration } from '../security/administration';
import { usable } from '../security/usable';
import { seesAllMetadata, visibleField, type VisibleFieldDefinition } from '../security/visible-metadata';
import { CrmError, reason, type Reason } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner, Revisioned } from '../metadata/change-runner';
import { checkFieldDocument, mergePatch } from '../metadata/documents';
import { newId } from '../metadata/ids';
import { fieldDisplayRemovals, fieldRenameUpdates } from '../metadata/references';
import { FIELD_TYPES, type FieldDefinition } from '../metadata/types';
import { aggregateOf, fieldTypeOf } from '../field-types';
import { writeDocumentUpdates } from '../metadata/write-documents';
import { CONVERSION_STRATEGIES, type ConversionStrategy } from '../schema-sync/conversion-strategy';
import { planConversion } from '../schema-sync/conversions';
import { alterColumnType, recordTable } from '../schema-sync/ddl';
import { fillSearchKeys, searchKeyColumn } from '@crm/migrations/search-key';
import { dropFieldColumn, prepareColumnRetype, renameFieldColumn, syncFieldConstraints, type PhysicalField } from '../schema-sync/field-schema';
import type { SchemaSession } from '../metadata/schema-session';
import { backfillRollup, createFieldStorage, liveObject, physicalField, rollupSpec, tableOf } from './field-storage';

export interface FieldChangeOptions {
  /** How to treat rows that would lose data in a type change (otherwise such a change is refused). */
  readonly convert?: ConversionStrategy;
}

export interface FieldListOptions {
  /** Include id, created_at, owner_id and the other system fields. */
  readonly includeSystem?: boolean;
}

const ROLLUP_KEYS = ['child_object', 'relationship_field', 'aggregate', 'aggregate_field', 'filter'] as const;

function maxLengthOf(def: FieldDefinition): number | undefined {
  return 'max_length' in def ? def.max_length : undefined;
}

function optionValues(def: FieldDefinition): string[] {
  return 'options' in def ? def.options.map((o) => o.value) : [];
}

/** Whether stored values may no longer fit: a new type, a narrower column, fewer options or a new target. */
function needsConversion(before: PhysicalField, after: PhysicalField): boolean {
  const b = before.definition;
  const a = after.definition;
  if (b.type !== a.type) return true;
  if (before.storage.kind === 'column' && after.storage.kind === 'column' && before.storage.columnType !== after.storage.columnType) return true;
  const oldMax = maxLengthOf(b) ?? Infinity;
  const newMax = maxLengthOf(a) ?? Infinity;
  if (newMax < oldMax) return true;
  const remaining = new Set(optionValues(a));
  if (optionValues(b).some((v) => !remaining.has(v))) return true;
  if ('target' in b && 'target' in a && b.target !== a.target) return true;
  return false;
}

export class FieldService {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly cache: MetadataCache,
    private readonly administration: Administration,
  ) {}

  /**
   * The object's fields as the actor may see them: without hidden fields (and the formulas and
   * rollups that would reveal one), and without the parts of the others that read or name one
   * (security/visible-metadata.ts), those parts listed in `withheld`.
   */
  async list(actor: Actor, objectName: string, options: FieldListOptions = {}): Promise<VisibleFieldDefinition[]> {
    const { object, visible } = await this.#readable(actor, objectName);
    return (options.includeSystem ? object.fields : object.userFields).flatMap((f) => visible(f.definition) ?? []);
  }

  async get(actor: Actor, objectName: string, fieldName: string): Promise<VisibleFieldDefinition> {
    const { object, visible } = await this.#readable(actor, objectName);
    const field = object.fieldsByName.get(fieldName);
    const definition = field && visible(field.definition);
    if (!definition) throw new CrmError('field_not_found', { object: objectName, field: fieldName });
    return definition;
  }

  async #readable(actor: Actor, objectName: string) {
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const access = await this.administration.access(actor);
    if (!usable(access, objectName)) throw new CrmError('object_not_found', { object: objectName });
    const hidden = seesAllMetadata(access) ? undefined : access.object(objectName).hidden;
    const visible = (definition: FieldDefinition): VisibleFieldDefinition | undefined => {
      if (!hidden) return definition;
      return hidden.has(definition.name) ? undefined : visibleField(access, definition, hidden);
    };
    return { object, visible };
  }

  async create(actor: Actor, objectName: string, document: unknown): Promise<Revisioned<FieldDefinition>> {
    await this.administration.requireAdmin(actor, 'fields');
    const definition = checkFieldDocument(document);
    return this.runner.run(actor, { object: objectName, kind: 'field', name: definition.name, action: 'create' }, async ({ trx, before }) => {
      const object = liveObject(before, objectName);
      if (!object) throw new CrmError('object_not_found', { object: objectName });
      if (object.fields.some((f) => f.definition.name === definition.name)) throw new CrmError('name_taken', { kind: 'Field', name: definition.name });
      const id = newId();
      const position = Math.max(0, ...object.fields.map((f) => f.position)) + 1;
      await trx
        .insertInto('crm_meta.fields')
        .values({ id, object_id: object.id, name: definition.name, type: definition.type, position, definition: JSON.stringify(definition) })
        .execute();
      return {
        result: definition,
        ddl: (after, schema) => createFieldStorage(schema, after, object.tableName, id, definition),
        audited: { id },
      };
    });
  }

  /**
   * Changes a field: labels and flags, a new API name (every reference follows), or a new type
   * (data converted where safe; refused where data would be lost unless `convert` says how).
   */
  async update(actor: Actor, objectName: string, fieldName: string, patch: unknown, options: FieldChangeOptions = {}): Promise<Revisioned<FieldDefinition>> {
    await this.administration.requireAdmin(actor, 'fields');
    if (options.convert !== undefined && !CONVERSION_STRATEGIES.includes(options.convert)) {
      throw new CrmError('validation_failed', {}, [{ path: 'convert', code: 'invalid', params: { reason: reason('must_be_one_of', { values: CONVERSION_STRATEGIES }) } }]);
    }
    const current = (await this.cache.current()).findObject(objectName)?.fieldsByName.get(fieldName);
    if (current?.system) throw new CrmError('metadata_invalid', { kind: 'field', summary: reason('system_field_unchangeable', { field: fieldName }) });
    const draft = patch !== null && typeof patch === 'object' && 'name' in patch ? String((patch as { name: unknown }).name) : fieldName;
    return this.runner.run(actor, { object: objectName, kind: 'field', name: draft, action: 'change' }, async ({ trx, before, kinds }) => {
      const object = liveObject(before, objectName);
      if (!object) throw new CrmError('object_not_found', { object: objectName });
      const stored = object.fields.find((f) => f.definition.name === fieldName);
      if (!stored) throw new CrmError('field_not_found', { object: objectName, field: fieldName });
      const definition = checkFieldDocument(mergePatch(withoutForeignProperties(stored.definition, patch), patch));
      const renamed = definition.name !== fieldName;
      if (renamed && object.fields.some((f) => f.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: 'Field', name: definition.name });
      }
      await trx
        .updateTable('crm_meta.fields')
        .set({ name: definition.name, type: definition.type, definition: JSON.stringify(definition), updated_at: new Date().toISOString() })
        .where('id', '=', stored.id)
        .execute();
      if (renamed) {
        const updates = fieldRenameUpdates(before, kinds, objectName, fieldName, definition.name).filter((u) => u.id !== stored.id);
        await writeDocumentUpdates(trx, kinds, updates);
      }
      return {
        result: definition,
        ddl: async (after, schema) => {
          const oldField = physicalField(before, stored.id, stored.definition);
          const newField = physicalField(after, stored.id, definition);
          if (renamed) await renameFieldColumn(schema, object.tableName, oldField, newField);
          if (needsConversion(oldField, newField)) await convertColumn(schema, object.tableName, oldField, newField, options.convert);
          if (definition.unique && !stored.definition.unique) await refuseDuplicates(schema, object.tableName, definition.name);
          await syncFieldConstraints(schema, object.tableName, oldField, newField, tableOf(after));
          const rollup = aggregateOf(definition);
          const was = aggregateOf(stored.definition);
          const rollupChanged = rollup && (!was || ROLLUP_KEYS.some((k) => JSON.stringify(rollup[k]) !== JSON.stringify(was[k])));
          if (rollupChanged) await backfillRollup(schema, object.tableName, rollupSpec(after, rollup));
        },
        audited: { id: stored.id },
      };
    });
  }

  /**
   * Deletes a field and its column. Layouts and views that only display it are cleaned up;
   * anything that computes with it (formulas, rollups, filters) blocks the delete and is named.
   */
  async delete(actor: Actor, objectName: string, fieldName: string): Promise<Revisioned<{ name: string }>> {
    await this.administration.requireAdmin(actor, 'fields');
    return this.runner.run(actor, { object: objectName, kind: 'field', name: fieldName, action: 'delete' }, async ({ trx, before, kinds }) => {
      const object = liveObject(before, objectName);
      if (!object) throw new CrmError('object_not_found', { object: objectName });
      const stored = object.fields.find((f) => f.definition.name === fieldName);
      if (!stored) {
        const isSystem = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at'].includes(fieldName);
        if (isSystem) throw new CrmError('metadata_invalid', { kind: 'field', summary: reason('system_field_undeletable', { field: fieldName }) });
        throw new CrmError('field_not_found', { object: objectName, field: fieldName });
      }
      await writeDocumentUpdates(trx, kinds, fieldDisplayRemovals(before, kinds, objectName, fieldName));
      await trx.deleteFrom('crm_meta.fields').where('id', '=', stored.id).execute();
      return {
        result: { name: fieldName },
        ddl: (_after, schema) => dropFieldColumn(schema, object.tableName, physicalField(before, stored.id, stored.definition)),
        audited: { id: stored.id },
      };
    });
  }
}

const COMMON_PROPERTIES = new Set(['name', 'type', 'label', 'help', 'description', 'required', 'unique', 'default', 'read_only', 'searchable', 'indexed']);

/**
 * On a type change, the stored properties the new type does not have (a decimal's scale when it
 * becomes an integer) are dropped; what the patch itself says is still checked strictly.
 */
function withoutForeignProperties(stored: FieldDefinition, patch: unknown): FieldDefinition {
  const newType = patch !== null && typeof patch === 'object' ? (patch as { type?: unknown }).type : undefined;
  if (typeof newType !== 'string' || newType === stored.type || !(FIELD_TYPES as readonly string[]).includes(newType)) return stored;
  const allowed = new Set([...COMMON_PROPERTIES, ...Object.keys(fieldTypeOf({ type: newType as FieldDefinition['type'] }).definitionProperties)]);
  return Object.fromEntries(Object.entries(stored).filter(([key]) => allowed.has(key))) as FieldDefinition;
}

async function convertColumn(schema: SchemaSession, table: string, from: PhysicalField, to: PhysicalField, strategy: ConversionStrategy | undefined): Promise<void> {
  const column = to.definition.name;
  const result = planConversion(column, from.definition, from.storage, to.definition, to.storage);
  const refuse = (why: Reason) => new CrmError('type_change_refused', { field: column, from: describe(from), to: describe(to), reason: why });
  if (!result.ok) throw refuse(result.reason);
  const plan = result.plan;
  let lossy = 0;
  if (plan.lossWhere) {
    const counted = await sql<{ n: number }>`select count(*)::int as n from ${recordTable(table)} where ${plan.lossWhere}`.execute(schema.db);
    lossy = Number(counted.rows[0]?.n ?? 0);
  }
  const accepted = strategy !== undefined && plan.strategies.includes(strategy) ? strategy : undefined;
  const change = { from: describe(from), to: describe(to) };
  if (lossy > 0 && !accepted) {
    // The plan still shows the conversion and how many rows stop it.
    schema.note({ op: 'convert_column', table, column, rewrites: Boolean(plan.alter), rows: await schema.rows(table), from: change.from, to: change.to, failing_rows: lossy });
    const loss = plan.loss ?? reason('loss_would_lose_data');
    throw refuse(
      plan.strategies.length
        ? reason('records_would_lose_unless', { count: lossy, loss, choices: plan.strategies.map((s) => `"${s}"`) })
        : reason('records_would_lose', { count: lossy, loss }),
    );
  }
  const lossyValue = accepted ? plan.lossy[accepted] : undefined;
  if (lossy > 0 && lossyValue && plan.lossWhere) {
    // Bring the rows that would lose data into shape first (a parameterised UPDATE)...
    const where = plan.lossWhere;
    await schema.run(
      { op: 'update_rows', table, column, rewrites: false, rows: lossy },
      {
        touchesRows: true,
        apply: async (db) => {
          await sql`update ${recordTable(table)} set ${sql.id(column)} = ${lossyValue} where ${where}`.execute(db);
          // Values of a searched field changed under their pinyin keys (a text cut short): keyed again.
          if (from.searched && to.searched) await fillSearchKeys(db, table, column, searchKeyColumn(to.id));
        },
      },
    );
  }
  if (plan.alter) {
    // ...then every row converts exactly.
    if (to.storage.kind !== 'column') throw new Error('conversion to a computed field was refused earlier');
    await prepareColumnRetype(schema, table, from, to);
    await alterColumnType(schema, table, column, { ...change, type: to.storage.columnType }, plan.using);
  }
}

function describe(field: PhysicalField): string {
  return field.storage.kind === 'column' ? `${field.definition.type} (${field.storage.columnType})` : field.definition.type;
}

async function refuseDuplicates(schema: SchemaSession, table: string, column: string): Promise<void> {
  schema.note({ op: 'check_unique_values', table, column, rewrites: false, rows: await schema.rows(table) });
  const duplicates = await sql<{ value: string; n: number }>`
    select ${sql.ref(column)}::text as value, count(*)::int as n from ${recordTable(table)}
    where deleted_at is null and ${sql.ref(column)} is not null
    group by ${sql.ref(column)} having count(*) > 1 order by count(*) desc limit 3`.execute(schema.db);
  if (duplicates.rows.length > 0) {
    const examples = duplicates.rows.map((r) => reason('value_count', { value: r.value, count: r.n }));
    throw new CrmError('metadata_invalid', { kind: 'field' }, [
      { path: 'unique', code: 'invalid', params: { reason: reason('records_share_values', { examples }) } },
    ]);
  }
}
