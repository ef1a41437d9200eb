import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import { actorUserId, assertActor, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, validationError, type FieldIssue } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import { newId } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import { recordTable } from '../schema-sync/ddl';
import { nextAutonumber } from './autonumbers';
import { cascadeRestore, cascadeSoftDelete, refuseIfReferenced } from './cascade';
import { dependentOptionIssues, isRequired, prepareInput } from './input';
import { listRecords, type ListOptions, type ListResult } from './list-query';
import { maintainRollups, needsRollupWork } from './rollup-maintenance';
import { columnsFor, outputRecord, ruleData, type RecordData } from './representation';
import { columnList, insertRow, selectRowForUpdate, updateRow, type Row } from './statements';
import { translateWriteError } from './write-errors';

export interface GetOptions {
  readonly fields?: readonly string[];
  /** Also find the record in the recycle bin. */
  readonly includeDeleted?: boolean;
}

export interface WriteOptions {
  /** The version the caller last read; a different current version is a conflict (412). */
  readonly expectedVersion?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one write pipeline for records of every object: actor -> input checked and normalised
 * against the metadata -> defaults, required, dependent options -> one transaction for the row,
 * its autonumbers, cascades and the rollups it feeds. Reads go through the same compiled
 * metadata. No method knows about HTTP.
 */
export class RecordService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly cache: MetadataCache,
  ) {}

  async create(actor: Actor, objectName: string, input: unknown): Promise<RecordData> {
    assertActor(actor);
    const metadata = await this.cache.withObject(objectName);
    const object = metadata.object(objectName);
    const context = contextOf(actor);
    const { values, issues } = prepareInput(object, input, undefined);
    const row: Row = { ...values };
    this.#applyDefaults(object, row, context, issues);
    for (const field of object.userFields) {
      if (isRequired(field) && field.column && (row[field.column] === null || row[field.column] === undefined)) {
        if (!issues.some((i) => i.path === field.name)) issues.push({ path: field.name, code: 'required' });
      }
    }
    issues.push(...dependentOptionIssues(object, row, new Set(Object.keys(row))));
    if (issues.length) throw validationError(issues);

    const actorId = actorUserId(actor);
    row.id = newId();
    row.created_by = actorId;
    row.updated_by = actorId;
    row.owner_id ??= actorId;
    // A new parent has no children yet: its counts and sums start at zero, not unknown.
    for (const field of object.userFields) {
      if (field.definition.type === 'rollup' && (field.definition.aggregate === 'count' || field.definition.aggregate === 'sum')) row[field.name] = 0;
    }
    const needsTransaction = object.autonumbers.length > 0 || needsRollupWork(object);
    try {
      const inserted = await this.#write(needsTransaction, async (db) => {
        for (const autonumber of object.autonumbers) row[autonumber.field.name] = await nextAutonumber(db, autonumber.field.id!, autonumber.format);
        const stored = await insertRow(db, object, row);
        await maintainRollups(db, object, [stored]);
        return stored;
      });
      return outputRecord(object, inserted, context);
    } catch (error) {
      throw translateWriteError(error, object);
    }
  }

  async get(actor: Actor, objectName: string, id: string, options: GetOptions = {}): Promise<RecordData> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const select = options.fields ? new Set(options.fields) : undefined;
    if (select) {
      const unknown = [...select].filter((f) => !object.fieldsByName.has(f));
      if (unknown.length) throw validationError(unknown.map((f) => ({ path: `fields/${f}`, code: 'unknown_field' as const })));
    }
    if (!UUID.test(id)) throw new CrmError('record_not_found', { object: objectName, id });
    const result = await sql<Row>`
      select ${columnList(columnsFor(object, select))} from ${recordTable(object.table)}
      where id = ${id}::uuid ${options.includeDeleted ? sql`` : sql`and deleted_at is null`}`.execute(this.db);
    const row = result.rows[0];
    if (!row) throw new CrmError('record_not_found', { object: objectName, id });
    return outputRecord(object, row, contextOf(actor), select);
  }

  async list(actor: Actor, objectName: string, options: ListOptions = {}): Promise<ListResult> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    return listRecords(this.db, object, options, contextOf(actor));
  }

  async update(actor: Actor, objectName: string, id: string, input: unknown, options: WriteOptions = {}): Promise<RecordData> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const context = contextOf(actor);
    if (!UUID.test(id)) throw new CrmError('record_not_found', { object: objectName, id });
    try {
      const updated = await this.db.transaction().execute(async (trx) => {
        const current = await this.#currentRow(trx, object, id, options.expectedVersion);
        const { values, issues } = prepareInput(object, input, current);
        for (const field of object.userFields) {
          if (isRequired(field) && field.column && field.column in values && values[field.column] === null) {
            issues.push({ path: field.name, code: 'required' });
          }
        }
        const changed = new Set(Object.keys(values).filter((c) => !sameValue(current[c], values[c])));
        issues.push(...dependentOptionIssues(object, { ...current, ...values }, changed));
        if (issues.length) throw validationError(issues);
        if (changed.size === 0) return current;
        const changes = Object.fromEntries([...changed].map((c) => [c, values[c]]));
        const stored = await updateRow(trx, object, id, changes, actorUserId(actor));
        if (needsRollupWork(object, changed)) await maintainRollups(trx, object, [current, stored], changed);
        return stored;
      });
      return outputRecord(object, updated, context);
    } catch (error) {
      throw translateWriteError(error, object);
    }
  }

  /** Moves a record (and its master-detail children) to the recycle bin. */
  async delete(actor: Actor, objectName: string, id: string, options: WriteOptions = {}): Promise<RecordData> {
    assertActor(actor);
    const metadata = await this.cache.withObject(objectName);
    const object = metadata.object(objectName);
    if (!UUID.test(id)) throw new CrmError('record_not_found', { object: objectName, id });
    const actorId = actorUserId(actor);
    try {
      const deleted = await this.db.transaction().execute(async (trx) => {
        await this.#currentRow(trx, object, id, options.expectedVersion);
        await refuseIfReferenced(trx, metadata, object, [id]);
        const deletedAt = new Date().toISOString();
        const stored = await updateRow(trx, object, id, {}, actorId, sql`deleted_at = ${deletedAt}::timestamptz`);
        await maintainRollups(trx, object, [stored]);
        await cascadeSoftDelete(trx, metadata, object, [id], deletedAt, actorId);
        return stored;
      });
      return outputRecord(object, deleted, contextOf(actor));
    } catch (error) {
      throw translateWriteError(error, object);
    }
  }

  /** Brings a record back from the recycle bin, with the children that went with it. */
  async restore(actor: Actor, objectName: string, id: string): Promise<RecordData> {
    assertActor(actor);
    const metadata = await this.cache.withObject(objectName);
    const object = metadata.object(objectName);
    if (!UUID.test(id)) throw new CrmError('record_not_found', { object: objectName, id });
    const actorId = actorUserId(actor);
    try {
      const restored = await this.db.transaction().execute(async (trx) => {
        const current = await selectRowForUpdate(trx, object, id);
        if (!current) throw new CrmError('record_not_found', { object: objectName, id });
        if (current.deleted_at === null) return current;
        await this.#refuseIfMasterDeleted(trx, metadata, object, current);
        const stored = await updateRow(trx, object, id, {}, actorId, sql`deleted_at = null`);
        await maintainRollups(trx, object, [stored]);
        await cascadeRestore(trx, metadata, object, [id], current.deleted_at as string, actorId);
        return stored;
      });
      return outputRecord(object, restored, contextOf(actor));
    } catch (error) {
      throw translateWriteError(error, object);
    }
  }

  /** Deletes a record in the recycle bin for good. */
  async purge(actor: Actor, objectName: string, id: string): Promise<{ id: string }> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    if (!UUID.test(id)) throw new CrmError('record_not_found', { object: objectName, id });
    try {
      const result = await sql`delete from ${recordTable(object.table)} where id = ${id}::uuid and deleted_at is not null`.execute(this.db);
      if (Number(result.numAffectedRows ?? 0n) === 0) throw new CrmError('record_not_found', { object: objectName, id });
      return { id };
    } catch (error) {
      throw translateWriteError(error, object);
    }
  }

  #write<T>(transactional: boolean, work: (db: QueryExecutorProvider) => Promise<T>): Promise<T> {
    // A single INSERT is atomic by itself; a transaction would only add two round trips.
    return transactional ? this.db.transaction().execute((trx) => work(trx)) : work(this.db);
  }

  async #currentRow(db: QueryExecutorProvider, object: CompiledObject, id: string, expectedVersion: number | undefined): Promise<Row> {
    const current = await selectRowForUpdate(db, object, id);
    if (!current || current.deleted_at !== null) throw new CrmError('record_not_found', { object: object.name, id });
    if (expectedVersion !== undefined && Number(current.version) !== expectedVersion) {
      throw new CrmError('stale_version', { id, expected: expectedVersion, current: Number(current.version) });
    }
    return current;
  }

  async #refuseIfMasterDeleted(db: QueryExecutorProvider, metadata: CompiledMetadata, object: CompiledObject, row: Row): Promise<void> {
    for (const field of object.userFields) {
      if (field.definition.type !== 'master_detail' || typeof row[field.name] !== 'string') continue;
      const master = metadata.object(field.definition.target);
      const result = await sql<{ deleted_at: string | null }>`
        select deleted_at from ${recordTable(master.table)} where id = ${row[field.name]}::uuid`.execute(db);
      if (result.rows[0]?.deleted_at) throw new CrmError('parent_deleted', { object: master.name, id: row[field.name] as string });
    }
  }

  /** Defaults fill fields the caller left out; a default that does not fit the field is reported like bad input. */
  #applyDefaults(object: CompiledObject, row: Row, context: RuleContext, issues: FieldIssue[]): void {
    if (object.defaults.length === 0) return;
    let data: Record<string, unknown> | undefined;
    for (const { field, evaluate } of object.defaults) {
      if (!field.column || field.column in row) continue;
      data ??= ruleData(object, row, context);
      const value = evaluate(data);
      if (value === null || value === undefined) continue;
      const normalized = field.type.normalize(value, field.definition, { previous: undefined });
      if (normalized.ok) row[field.column] = normalized.value;
      else issues.push({ path: field.name, code: 'invalid', params: { reason: `default value ${JSON.stringify(value)} is not ${field.type.expected}` } });
    }
  }
}

function contextOf(actor: Actor): RuleContext {
  return { user: { id: actorUserId(actor) }, now: new Date() };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
