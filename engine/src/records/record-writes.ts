import { sql, type Kysely, type QueryExecutorProvider, type Transaction } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, reason, validationError } from '../errors';
import { recordReferenceOf } from '../field-types';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import { isUuid } from '../metadata/ids';
import { recordAudit } from '../db/audit-entries';
import { recordPredicate } from '../security/record-predicates';
import { approvalLockApplies } from './approval-lock';
import { BulkRollback, checkBulkRequest, runBulk, type BulkRequest, type BulkResult, type BulkRowResult, type BulkWriters } from './bulk';
import { cascadeRestore, cascadeSoftDelete, refuseIfReferenced } from './cascade';
import { recordFieldHistory } from './field-history';
import { checkOwner, checkReferencesVisible, refuseProtectedFields, requireOperation } from './guards';
import { runIdempotent, type IdempotencyOptions } from './idempotency';
import { importAsBulk, importResult, MAX_IMPORT_ROWS, type ImportRequest, type ImportResult } from './import';
import { resolveNamedReferences, type NameFinder } from './import-references';
import { namedError, outputFor, rowGuard, type CallScope } from './record-scope';
import type { RecordData } from './representation';
import { maintainRollups } from './rollup-maintenance';
import { deleteRow, selectDeletedAt, selectIdByUnique, selectLiveRow, updateRow, type Row } from './statements';
import { createNeedsTransaction, insertPrepared, prepareCreate } from './write-create';
import { translateWriteError } from './write-errors';
import type { RecordEvent, RecordWriteHooks, WithinTransaction } from './write-hooks';
import { currentRow, planUpdate, updateLocked, updateSingle, type UpdateEffects } from './write-update';

export interface WriteOptions {
  /** The version the caller last read; a different current version is a conflict (412). */
  readonly expectedVersion?: number;
  /** Write inside the caller's transaction (workflow actions), see WithinTransaction. */
  readonly within?: WithinTransaction;
}

export interface CreateOptions {
  /** A retried create with the same key returns the first result instead of a second record. */
  readonly idempotency?: IdempotencyOptions;
  /** Write inside the caller's transaction (workflow actions), see WithinTransaction. */
  readonly within?: WithinTransaction;
}

const MAX_TRANSFER = 1000;

type Work<T> = (trx: Transaction<unknown>) => Promise<T>;

/** Rows an import writes per transaction unless all or nothing (RecordServiceOptions.importChunkRows). */
export const IMPORT_CHUNK_ROWS = 100;

/**
 * The writing half of the record service: the one write pipeline for records of every object.
 * Actor and their access -> input checked and normalised against the metadata -> the fewest
 * statements that keep it atomic (one INSERT or UPDATE when nothing else depends on it, else one
 * transaction for the row, its autonumbers, cascades, rollups, field history, audit and workflows).
 */
export class RecordWrites {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    importChunkRows = IMPORT_CHUNK_ROWS,
  ) {
    this.#importChunkRows = importChunkRows >= 1 ? Math.floor(importChunkRows) : 1;
  }

  readonly #importChunkRows: number;

  #hooks: RecordWriteHooks | undefined;

  useHooks(hooks: RecordWriteHooks): void {
    this.#hooks = hooks;
  }

  async create(scope: CallScope, input: unknown, options: CreateOptions = {}): Promise<RecordData> {
    requireOperation(scope.access, 'create');
    refuseProtectedFields(scope.access, input);
    const prepared = prepareCreate(scope.object, input, scope.context);
    checkOwner(scope.actor, scope.access, prepared.owner_id);
    // Workflows that cannot fire for this record cost the create nothing but their conditions;
    // those whose work can be planned before the insert ride along with it.
    const decision = this.#hooked(scope, 'created') ? this.#hooks!.beforeCreate(scope.metadata, scope.object, prepared, scope.context, scope.depth) : undefined;
    const hooked = decision?.kind === 'after_write';
    const planned = decision?.kind === 'planned' ? decision : undefined;
    const insert = async (db: QueryExecutorProvider) => {
      await checkReferencesVisible(db, scope.actor, scope.object, prepared);
      const row = await insertPrepared(db, scope.object, planned?.row ?? prepared, planned?.riders);
      return hooked ? this.#afterWrite(db, scope, 'created', undefined, row) : row;
    };
    if (options.idempotency && !options.within) {
      const idempotency = options.idempotency;
      // A replay returns the first response as it was stored: the output is made inside.
      return this.#inTransaction(scope, undefined, async (trx) => outputFor(scope, await insert(trx)), (work) => runIdempotent(this.#unknownDb(), scope.context.user.id, idempotency, work));
    }
    // One INSERT is atomic on its own unless something else is written with it.
    const single = !createNeedsTransaction(scope.object) && !hooked;
    const stored = await this.#inTransaction(scope, options.within, insert, single ? () => insert(this.db) : undefined);
    options.within?.onStored?.(stored);
    return outputFor(scope, stored);
  }

  async update(scope: CallScope, id: string, input: unknown, options: WriteOptions = {}): Promise<RecordData> {
    requireOperation(scope.access, 'edit');
    refuseProtectedFields(scope.access, input);
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: scope.object.name, id });
    const plan = planUpdate(scope.object, input);
    const within = options.within;
    const locked = async (trx: Transaction<unknown>) => {
      // In a transaction of its own the references are checked before it opens (as the single form does).
      if (within) await checkReferencesVisible(trx, scope.actor, scope.object, (input ?? {}) as Row);
      const effects = this.#effects(scope);
      return updateLocked(trx, scope.object, id, input, scope.context.user.id, options.expectedVersion, within?.current ? { ...effects, current: within.current } : effects);
    };
    const stored = await this.#inTransaction(scope, within, locked, async (work) => {
      await checkReferencesVisible(this.db, scope.actor, scope.object, (input ?? {}) as Row);
      // A record that may be awaiting approval is locked and checked first: only the locked form does that.
      return plan.kind === 'single' && !approvalLockApplies(scope.actor, scope.object)
        ? updateSingle(this.db, scope.object, id, plan.values, scope.context.user.id, options.expectedVersion, rowGuard(scope))
        : this.#unknownDb().transaction().execute(work);
    });
    within?.onStored?.(stored);
    return outputFor(scope, stored);
  }

  /** update() for a transaction the caller opens later, with every check of it (the locked form). */
  updater(scope: CallScope): (trx: QueryExecutorProvider, id: string, input: unknown) => Promise<RecordData> {
    requireOperation(scope.access, 'edit');
    return async (trx, id, input) => {
      try {
        refuseProtectedFields(scope.access, input);
        if (!isUuid(id)) throw new CrmError('record_not_found', { object: scope.object.name, id });
        planUpdate(scope.object, input);
        await checkReferencesVisible(trx, scope.actor, scope.object, (input ?? {}) as Row);
        return outputFor(scope, await updateLocked(trx, scope.object, id, input, scope.context.user.id, undefined, this.#effects(scope)));
      } catch (error) {
        throw namedError(scope, error);
      }
    };
  }

  /** Moves a record (and its master-detail children) to the recycle bin. */
  async delete(scope: CallScope, id: string, options: WriteOptions = {}): Promise<RecordData> {
    const { object, metadata } = scope;
    requireOperation(scope.access, 'delete');
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: object.name, id });
    const actorId = scope.context.user.id;
    const deleted = await this.#inTransaction(scope, options.within, async (trx) => {
      const before = await currentRow(trx, object, id, options.expectedVersion, rowGuard(scope));
      await refuseIfReferenced(trx, metadata, object, [id]);
      const deletedAt = new Date().toISOString();
      const stored = await updateRow(trx, object, id, {}, actorId, sql`deleted_at = ${deletedAt}::timestamptz`);
      await maintainRollups(trx, object, [stored]);
      await cascadeSoftDelete(trx, metadata, object, [id], deletedAt, actorId);
      return this.#hooked(scope, 'deleted') ? this.#afterWrite(trx, scope, 'deleted', before, stored) : stored;
    });
    return outputFor(scope, deleted);
  }

  /** Brings a record back from the recycle bin, with the children that went with it. */
  async restore(scope: CallScope, id: string, options: Pick<WriteOptions, 'within'> = {}): Promise<RecordData> {
    const { object, metadata } = scope;
    requireOperation(scope.access, 'delete');
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: object.name, id });
    const actorId = scope.context.user.id;
    const restored = await this.#inTransaction(scope, options.within, async (trx) => {
      const current = await binRow(trx, scope, id);
      if (current.deleted_at === null) return current;
      await refuseIfMasterDeleted(trx, metadata, object, current);
      const stored = await updateRow(trx, object, id, {}, actorId, sql`deleted_at = null`);
      await maintainRollups(trx, object, [stored]);
      await cascadeRestore(trx, metadata, object, [id], current.deleted_at as string, actorId);
      return this.#hooked(scope, 'restored') ? this.#afterWrite(trx, scope, 'restored', current, stored) : stored;
    });
    return outputFor(scope, restored);
  }

  /** Deletes a record in the recycle bin for good. */
  async purge(scope: CallScope, id: string): Promise<{ id: string }> {
    requireOperation(scope.access, 'delete');
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: scope.object.name, id });
    await this.#inTransaction(scope, undefined, async (trx) => {
      const row = await binRow(trx, scope, id);
      if (row.deleted_at === null) throw new CrmError('record_not_found', { object: scope.object.name, id });
      await deleteRow(trx, scope.object, id);
    });
    return { id };
  }

  /**
   * Creates, updates or upserts up to 1,000 records with a result per row (see bulk.ts); every
   * row passes the same access checks as a single write. With an idempotency key a retry returns
   * the first run's results.
   */
  async bulk(scope: CallScope, checked: BulkRequest, options: CreateOptions & { readonly onCommitting?: (trx: Transaction<unknown>, result: BulkResult) => Promise<void> } = {}): Promise<BulkResult> {
    const { object, access } = scope;
    if (checked.operation !== 'update') requireOperation(access, 'create');
    if (checked.operation !== 'create') requireOperation(access, 'edit');
    const writers: BulkWriters = {
      create: async (trx, input) => {
        refuseProtectedFields(access, input);
        const prepared = prepareCreate(object, input, scope.context);
        checkOwner(scope.actor, access, prepared.owner_id);
        await checkReferencesVisible(trx, scope.actor, object, prepared);
        const row = await insertPrepared(trx, object, prepared);
        // Each row's workflows run behind the row's savepoint: a failing one fails that row only.
        return this.#hooked(scope, 'created') ? this.#afterWrite(trx, scope, 'created', undefined, row) : row;
      },
      update: async (trx, id, input, version) => {
        refuseProtectedFields(access, input);
        await checkReferencesVisible(trx, scope.actor, object, (input ?? {}) as Row);
        return updateLocked(trx, object, id, input, scope.context.user.id, version, this.#effects(scope));
      },
      findByUnique: (trx, field, value) => selectIdByUnique(trx, object, field, value, recordPredicate(scope.actor, object.name, 'read')),
    };
    const run = async (trx: Transaction<unknown>) => {
      const written = await runBulk(trx, object, checked, writers, (row) => outputFor(scope, row));
      const result = { ...written, results: written.results.map((r) => (r.error ? { ...r, error: namedError(scope, r.error) as CrmError } : r)) };
      // Undo everything by failing the transaction; the result travels with the error.
      if (!result.committed) throw new BulkRollback(result);
      // In the rows' transaction (and so under its idempotency key, if any): what must happen once with them.
      await options.onCommitting?.(trx, result);
      return serializeBulk(result);
    };
    const idempotency = options.idempotency;
    try {
      return deserializeBulk(await this.#inTransaction(scope, undefined, run, idempotency ? (work) => runIdempotent(this.#unknownDb(), scope.context.user.id, idempotency, work) : undefined));
    } catch (error) {
      if (error instanceof BulkRollback) return error.result;
      throw error;
    }
  }

  /** Imports a CSV or NDJSON file (see import.ts) through the bulk pipeline, audited. */
  async import(scope: CallScope, request: ImportRequest, names: NameFinder, options: CreateOptions = {}): Promise<ImportResult> {
    requireOperation(scope.access, 'create');
    const parsed = importAsBulk(scope.object, request, scope.access.hidden);
    const { lines } = parsed;
    const bulk = checkBulkRequest(scope.object, parsed.bulk, MAX_IMPORT_ROWS);
    const records = await resolveNamedReferences(scope.object, bulk.records, names);
    const audit = (db: QueryExecutorProvider, written: BulkResult) =>
      recordAudit(db, {
        actorId: scope.context.user.id,
        event: 'import',
        subject: scope.object.name,
        details: { format: request.format, mode: bulk.operation, committed: written.committed, ...importResult(written, lines).summary },
      });
    if (options.idempotency) {
      // A key is stored with the writes in their transaction, so a keyed import is one transaction;
      // its audit entry goes in there too, so a retry answered from the key is not audited twice.
      const written = await this.bulk(scope, { ...bulk, records }, { idempotency: options.idempotency, onCommitting: audit });
      // Rolled back (all or nothing), nothing was kept under the key: audited like any import.
      if (!written.committed) await audit(this.db, written);
      return importResult(written, lines);
    }
    const written = await this.#importInChunks(scope, { ...bulk, records });
    await audit(this.db, written);
    return importResult(written, lines);
  }

  /**
   * An import's rows, a transaction per chunk: each row succeeds or fails on its own either way,
   * so committing chunk by chunk changes no answer; all or nothing stays one transaction. Between
   * chunks other requests get the database and the process.
   */
  async #importInChunks(scope: CallScope, bulk: BulkRequest): Promise<BulkResult> {
    const size = this.#importChunkRows;
    if (bulk.all_or_nothing || bulk.records.length <= size) return this.bulk(scope, bulk, {});
    const results: BulkRowResult[] = [];
    const summary = { created: 0, updated: 0, failed: 0 };
    for (let start = 0; start < bulk.records.length; start += size) {
      // PGlite answers within the event loop's turn (its statements resolve as microtasks): without
      // a turn of the loop between chunks, no other request (or timer) would run until the end.
      if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const chunk = await this.bulk(scope, { ...bulk, records: bulk.records.slice(start, start + size) }, {});
      for (const row of chunk.results) results.push({ ...row, index: row.index + start });
      summary.created += chunk.summary.created;
      summary.updated += chunk.summary.updated;
      summary.failed += chunk.summary.failed;
    }
    return { committed: true, results, summary };
  }

  /**
   * Gives records to a new owner, all or none, each through the update pipeline (the new owner
   * must be inside the actor's edit scope; every transfer is audited).
   */
  async transfer(scope: CallScope, ids: unknown, ownerId: unknown): Promise<{ transferred: number }> {
    requireOperation(scope.access, 'edit');
    try {
      refuseProtectedFields(scope.access, { owner_id: ownerId });
    } catch (error) {
      throw namedError(scope, error);
    }
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_TRANSFER || ids.some((id) => typeof id !== 'string' || !isUuid(id))) {
      throw validationError([{ path: 'ids', code: 'invalid', params: { reason: reason('must_be_id_count_range', { min: 1, max: MAX_TRANSFER }) } }]);
    }
    if (typeof ownerId !== 'string' || !isUuid(ownerId)) throw namedError(scope, validationError([{ path: 'owner_id', code: 'type', params: { expected: 'a user id' } }]));
    const unique = new Set(ids as string[]);
    try {
      await this.#inTransaction(scope, undefined, async (trx) => {
        for (const id of unique) await updateLocked(trx, scope.object, id, { owner_id: ownerId }, scope.context.user.id, undefined, this.#effects(scope));
      });
    } catch (error) {
      throw namedError(scope, error);
    }
    return { transferred: unique.size };
  }

  /**
   * The one transaction wrapper of the writes: `work` runs in the caller's transaction (`within`,
   * a workflow action's) or in one of its own, opened by `open` (default: a plain transaction; a
   * write that needs none passes its single statement, an idempotent one runIdempotent). A write
   * failing in its own transaction tells the hooks it rolled back; PostgreSQL's errors leave as
   * catalogue errors.
   */
  async #inTransaction<T>(scope: CallScope, within: WithinTransaction | undefined, work: Work<T>, open?: (work: Work<T>) => Promise<T>): Promise<T> {
    try {
      if (within) return await work(within.transaction);
      return await (open ? open(work) : this.#unknownDb().transaction().execute(work));
    } catch (error) {
      if (!within) await this.#hooks?.afterRollback(error).catch(() => {});
      throw translateWriteError(error, scope.object);
    }
  }

  /** Whether a write of this kind has workflow work (compiled metadata: no query for objects without). */
  #hooked(scope: CallScope, event: RecordEvent): boolean {
    return this.#hooks !== undefined && scope.object.activeWorkflows.events.has(event);
  }

  /** Runs the hooks in the write's transaction; returns the row as it is after them. */
  async #afterWrite(db: QueryExecutorProvider, scope: CallScope, event: RecordEvent, before: Row | undefined, after: Row, changed?: ReadonlySet<string>): Promise<Row> {
    const trx = db as Transaction<unknown>;
    const rewritten = await this.#hooks!.afterWrite(trx, { event, metadata: scope.metadata, object: scope.object, before, after, ...(changed ? { changed } : {}), context: scope.context, depth: scope.depth });
    if (rewritten === false) return after;
    if (rewritten !== true) return rewritten;
    return (await selectLiveRow(trx, scope.object, after.id as string, scope.object.columns, true)) ?? after;
  }

  #effects(scope: CallScope): UpdateEffects {
    return {
      guard: rowGuard(scope),
      context: scope.context,
      checkOwner: (ownerId) => checkOwner(scope.actor, scope.access, ownerId),
      onChanged: async (db, before, after, changed) => {
        await recordFieldHistory(db, scope.object, before, after, changed, scope.context.user.id);
        if (changed.has('owner_id')) {
          await recordAudit(db, {
            actorId: scope.context.user.id,
            event: 'ownership_transferred',
            subject: `${scope.object.name}/${after.id as string}`,
            details: { from: before.owner_id, to: after.owner_id },
          });
        }
        if (this.#hooked(scope, 'updated')) return this.#afterWrite(db, scope, 'updated', before, after, changed);
      },
    };
  }

  #unknownDb(): Kysely<unknown> {
    return this.db as unknown as Kysely<unknown>;
  }
}

/** A row in or out of the recycle bin, locked, as the actor may see it; they must be able to edit it. */
async function binRow(db: QueryExecutorProvider, scope: CallScope, id: string): Promise<Row> {
  const found = await scope.reach(db, id, { includeDeleted: true, lock: true });
  if (!found) throw new CrmError('record_not_found', { object: scope.object.name, id });
  if (!found.editable) throw new CrmError('forbidden', { action: 'delete', subject: `${scope.object.name} ${id}` });
  return found.row;
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
    const reference = recordReferenceOf(field.definition);
    if (!reference?.owned || typeof row[field.name] !== 'string') continue;
    const master = metadata.object(reference.target);
    if (await selectDeletedAt(db, master, row[field.name] as string)) throw new CrmError('parent_deleted', { object: master.name, id: row[field.name] as string });
  }
}
