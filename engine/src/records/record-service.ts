import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import { actorUserId, assertActor, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, validationError } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import { recordTable } from '../schema-sync/ddl';
import { BulkRollback, checkBulkRequest, runBulk, type BulkResult } from './bulk';
import { cascadeRestore, cascadeSoftDelete, refuseIfReferenced } from './cascade';
import { checkExpand, expandReferences } from './expand';
import { runIdempotent, type IdempotencyOptions } from './idempotency';
import { listRecords, type ListOptions, type ListResult } from './list-query';
import { maintainRollups } from './rollup-maintenance';
import { columnsFor, outputRecord, type RecordData } from './representation';
import { selectLiveRow, selectRowForUpdate, updateRow, type Row } from './statements';
import { createNeedsTransaction, insertPrepared, prepareCreate } from './write-create';
import { currentRow, planUpdate, updateLocked, updateSingle } from './write-update';
import { translateWriteError } from './write-errors';

export interface GetOptions {
  readonly fields?: readonly string[];
  /** Reference fields to return as the referenced records instead of ids. */
  readonly expand?: readonly string[];
  /** Also find the record in the recycle bin. */
  readonly includeDeleted?: boolean;
}

export interface WriteOptions {
  /** The version the caller last read; a different current version is a conflict (412). */
  readonly expectedVersion?: number;
}

export interface CreateOptions {
  /** A retried create with the same key returns the first result instead of a second record. */
  readonly idempotency?: IdempotencyOptions;
}

export type RecordListOptions = ListOptions & { readonly expand?: readonly string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one write pipeline for records of every object: actor -> input checked and normalised
 * against the metadata -> defaults, required, dependent options -> the fewest statements that
 * keep it atomic (one INSERT or UPDATE when nothing else depends on it, else one transaction for
 * the row, its autonumbers, cascades and the rollups it feeds). No method knows about HTTP.
 */
export class RecordService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly cache: MetadataCache,
  ) {}

  async create(actor: Actor, objectName: string, input: unknown, options: CreateOptions = {}): Promise<RecordData> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const context = contextOf(actor);
    const prepared = prepareCreate(object, input, context);
    try {
      if (options.idempotency) {
        return await runIdempotent(this.#unknownDb(), context.user.id, options.idempotency, async (trx) =>
          outputRecord(object, await insertPrepared(trx, object, prepared), context),
        );
      }
      const inserted = createNeedsTransaction(object)
        ? await this.db.transaction().execute((trx) => insertPrepared(trx, object, prepared))
        : await insertPrepared(this.db, object, prepared);
      return outputRecord(object, inserted, context);
    } catch (error) {
      throw translateWriteError(error, object);
    }
  }

  async get(actor: Actor, objectName: string, id: string, options: GetOptions = {}): Promise<RecordData> {
    assertActor(actor);
    const metadata = await this.cache.withObject(objectName);
    const object = metadata.object(objectName);
    const select = options.fields ? new Set(options.fields) : undefined;
    if (select) {
      const unknown = [...select].filter((f) => !object.fieldsByName.has(f));
      if (unknown.length) throw validationError(unknown.map((f) => ({ path: `fields/${f}`, code: 'unknown_field' as const })));
    }
    const expand = checkExpand(object, options.expand);
    if (!UUID.test(id)) throw new CrmError('record_not_found', { object: objectName, id });
    const row = await selectLiveRow(this.db, object, id, columnsFor(object, select), options.includeDeleted === true);
    if (!row) throw new CrmError('record_not_found', { object: objectName, id });
    const context = contextOf(actor);
    const record = outputRecord(object, row, context, select);
    if (expand.length) await expandReferences(this.db, metadata, object, [record], expand.filter((f) => !select || select.has(f)), context);
    return record;
  }

  async list(actor: Actor, objectName: string, options: RecordListOptions = {}): Promise<ListResult> {
    assertActor(actor);
    const metadata = await this.cache.withObject(objectName);
    const object = metadata.object(objectName);
    const expand = checkExpand(object, options.expand);
    const context = contextOf(actor);
    const page = await listRecords(this.db, object, options, context);
    if (expand.length) {
      const selected = options.fields ? new Set(options.fields) : undefined;
      await expandReferences(this.db, metadata, object, page.data, expand.filter((f) => !selected || selected.has(f)), context);
    }
    return page;
  }

  async update(actor: Actor, objectName: string, id: string, input: unknown, options: WriteOptions = {}): Promise<RecordData> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const context = contextOf(actor);
    if (!UUID.test(id)) throw new CrmError('record_not_found', { object: objectName, id });
    const plan = planUpdate(object, input);
    try {
      const updated =
        plan.kind === 'single'
          ? await updateSingle(this.db, object, id, plan.values, context.user.id, options.expectedVersion)
          : await this.db.transaction().execute((trx) => updateLocked(trx, object, id, input, context.user.id, options.expectedVersion));
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
        await currentRow(trx, object, id, options.expectedVersion);
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
        await refuseIfMasterDeleted(trx, metadata, object, current);
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

  /**
   * Creates, updates or upserts up to 1,000 records with a result per row (see bulk.ts).
   * With an idempotency key a retry returns the first run's results.
   */
  async bulk(actor: Actor, objectName: string, request: unknown, options: CreateOptions = {}): Promise<BulkResult> {
    assertActor(actor);
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const checked = checkBulkRequest(object, request);
    const context = contextOf(actor);
    const run = async (trx: Parameters<typeof runBulk>[0]) => {
      const result = await runBulk(trx, object, checked, context);
      // Undo everything by failing the transaction; the result travels with the error.
      if (!result.committed) throw new BulkRollback(result);
      return serializeBulk(result);
    };
    try {
      const result = options.idempotency
        ? await runIdempotent(this.#unknownDb(), context.user.id, options.idempotency, run)
        : await this.#unknownDb().transaction().execute(run);
      return deserializeBulk(result);
    } catch (error) {
      if (error instanceof BulkRollback) return error.result;
      throw translateWriteError(error, object);
    }
  }

  #unknownDb(): Kysely<unknown> {
    return this.db as unknown as Kysely<unknown>;
  }
}

type StoredBulkResult = Omit<BulkResult, 'results'> & { results: (Omit<BulkResult['results'][number], 'error'> & { error?: ReturnType<CrmError['toJSON']> })[] };

/** Bulk results are stored for idempotent replays, so row errors travel as plain data. */
function serializeBulk(result: BulkResult): StoredBulkResult {
  return { ...result, results: result.results.map((r) => (r.error ? { ...r, error: r.error.toJSON() } : (r as StoredBulkResult['results'][number]))) };
}

function deserializeBulk(result: StoredBulkResult): BulkResult {
  return { ...result, results: result.results.map((r) => (r.error ? { ...r, error: CrmError.fromJSON(r.error) } : (r as BulkResult['results'][number]))) };
}

async function refuseIfMasterDeleted(db: QueryExecutorProvider, metadata: CompiledMetadata, object: CompiledObject, row: Row): Promise<void> {
  for (const field of object.userFields) {
    if (field.definition.type !== 'master_detail' || typeof row[field.name] !== 'string') continue;
    const master = metadata.object(field.definition.target);
    const result = await sql<{ deleted_at: string | null }>`
      select deleted_at from ${recordTable(master.table)} where id = ${row[field.name]}::uuid`.execute(db);
    if (result.rows[0]?.deleted_at) throw new CrmError('parent_deleted', { object: master.name, id: row[field.name] as string });
  }
}

function contextOf(actor: Actor): RuleContext {
  return { user: { id: actorUserId(actor) }, now: new Date() };
}
