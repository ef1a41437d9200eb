import { sql, type Kysely, type QueryExecutorProvider, type Transaction } from 'kysely';
import { actorUserId, assertActor, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, validationError } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import { recordTable } from '../schema-sync/ddl';
import type { AccessResolver } from '../security/access-resolver';
import type { ActorAccess, ObjectAccess } from '../security/actor-access';
import { recordAudit } from '../db/audit-entries';
import { recordPredicate, recordVisibility } from '../security/record-predicates';
import { BulkRollback, checkBulkRequest, runBulk, type BulkRequest, type BulkResult, type BulkWriters } from './bulk';
import { importAsBulk, importResult, MAX_IMPORT_ROWS, type ImportRequest, type ImportResult } from './import';
import { cascadeRestore, cascadeSoftDelete, refuseIfReferenced } from './cascade';
import { approvalLockApplies } from './approval-lock';
import { checkExpand, expandReferences } from './expand';
import { exportLines, type ExportFormat } from './export';
import { readFieldHistory, recordFieldHistory, type FieldChange } from './field-history';
import { checkOwner, checkReferencesVisible, refuseProtectedFields, requireOperation } from './guards';
import { runIdempotent, type IdempotencyOptions } from './idempotency';
import { checkFieldSelection, countRecordsUpTo, listRecords, visibleSelection, type ListAccess, type ListOptions, type ListResult } from './list-query';
import { maintainRollups } from './rollup-maintenance';
import { columnsFor, outputRecord, type RecordData } from './representation';
import { columnList, selectLiveRow, updateRow, type Row } from './statements';
import { applyVisibleRollups } from './visible-rollups';
import { createNeedsTransaction, insertPrepared, prepareCreate } from './write-create';
import { currentRow, planUpdate, updateLocked, updateSingle, type RowGuard, type UpdateEffects } from './write-update';
import { translateWriteError } from './write-errors';
import { nameFieldsByLabel } from './field-labels';
import type { RecordEvent, RecordWriteHooks, WithinTransaction } from './write-hooks';
import { isUuid } from '../metadata/ids';

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
  /** Write inside the caller's transaction (workflow actions), see WithinTransaction. */
  readonly within?: WithinTransaction;
}

export interface CreateOptions {
  /** A retried create with the same key returns the first result instead of a second record. */
  readonly idempotency?: IdempotencyOptions;
  /** Write inside the caller's transaction (workflow actions), see WithinTransaction. */
  readonly within?: WithinTransaction;
}

export type RecordListOptions = ListOptions & { readonly expand?: readonly string[] };

export interface ExportOptions {
  readonly format?: ExportFormat;
  readonly filter?: unknown;
  readonly sort?: ListOptions['sort'];
  readonly fields?: readonly string[];
}

const MAX_TRANSFER = 1000;
/** One export stops here (and says so in the audit entry): larger extracts belong to a reporting job. */
const MAX_EXPORT = 100_000;

export interface RecordServiceOptions {
  /** The most records one export may hold (default 100,000); a larger export is refused, never cut short. */
  readonly exportMaxRows?: number;
}


/** One call's view of an object: the compiled metadata, the actor's access, the rule context. */
interface CallScope {
  readonly metadata: CompiledMetadata;
  readonly object: CompiledObject;
  readonly actor: ActorAccess;
  readonly access: ObjectAccess;
  readonly context: RuleContext;
  /** Workflow depth of the write (0: from outside). */
  readonly depth: number;
}

/**
 * The one write pipeline for records of every object: actor and their access -> input checked
 * and normalised against the metadata -> defaults, required, dependent options -> the fewest
 * statements that keep it atomic (one INSERT or UPDATE when nothing else depends on it, else one
 * transaction for the row, its autonumbers, cascades, rollups, field history and audit). Every
 * read and write carries the actor's record visibility as SQL. No method knows about HTTP.
 */
export class RecordService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly cache: MetadataCache,
    private readonly resolver: AccessResolver,
    private readonly options: RecordServiceOptions = {},
  ) {}

  #hooks: RecordWriteHooks | undefined;

  /** Installs what runs after every record write in its transaction (the workflows); once, at start. */
  useHooks(hooks: RecordWriteHooks): void {
    this.#hooks = hooks;
  }

  async create(actor: Actor, objectName: string, input: unknown, options: CreateOptions = {}): Promise<RecordData> {
    const scope = await this.#scope(actor, objectName, options.within);
    try {
      return await this.#create(scope, input, options);
    } catch (error) {
      throw this.#named(scope, error);
    }
  }

  async #create(scope: CallScope, input: unknown, options: CreateOptions): Promise<RecordData> {
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
    try {
      if (options.within) {
        const stored = await insert(options.within.transaction);
        options.within.onStored?.(stored);
        return this.#output(scope, stored);
      }
      if (options.idempotency) {
        return await runIdempotent(this.#unknownDb(), scope.context.user.id, options.idempotency, async (trx) => this.#output(scope, await insert(trx)));
      }
      const inserted = createNeedsTransaction(scope.object) || hooked ? await this.db.transaction().execute((trx) => insert(trx)) : await insert(this.db);
      return this.#output(scope, inserted);
    } catch (error) {
      if (!options.within) await this.#rolledBack(error);
      throw translateWriteError(error, scope.object);
    }
  }

  async get(actor: Actor, objectName: string, id: string, options: GetOptions = {}): Promise<RecordData> {
    const scope = await this.#scope(actor, objectName);
    const { object, access } = scope;
    requireOperation(access, 'read');
    const select = visibleSelection(object, checkFieldSelection(object, options.fields, access.hidden), access.hidden);
    const expand = checkExpand(object, options.expand?.filter((f) => !access.hidden.has(f)));
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: objectName, id });
    const predicate = recordPredicate(scope.actor, objectName, 'read');
    const columns = columnsFor(object, select);
    const row = predicate
      ? (
          await sql<Row>`
            select ${columnList(columns)} from ${recordTable(object.table)}
            where id = ${id}::uuid ${options.includeDeleted ? sql`` : sql`and deleted_at is null`} and ${predicate}`.execute(this.db)
        ).rows[0]
      : await selectLiveRow(this.db, object, id, columns, options.includeDeleted === true);
    if (!row) throw new CrmError('record_not_found', { object: objectName, id });
    const record = outputRecord(object, row, scope.context, select);
    await applyVisibleRollups(this.db, scope.actor, object, [record]);
    if (expand.length) await expandReferences(this.db, scope.actor, object, [record], expand.filter((f) => !select || select.has(f)), scope.context);
    return record;
  }

  async list(actor: Actor, objectName: string, options: RecordListOptions = {}): Promise<ListResult> {
    const scope = await this.#scope(actor, objectName);
    const { object, access } = scope;
    requireOperation(access, 'read');
    const expand = checkExpand(object, options.expand?.filter((f) => !access.hidden.has(f)));
    const page = await listRecords(this.db, object, options, scope.context, this.#listAccess(scope));
    await applyVisibleRollups(this.db, scope.actor, object, page.data);
    if (expand.length) {
      const selected = options.fields ? new Set(options.fields) : undefined;
      await expandReferences(this.db, scope.actor, object, page.data, expand.filter((f) => !selected || selected.has(f)), scope.context);
    }
    return page;
  }

  async update(actor: Actor, objectName: string, id: string, input: unknown, options: WriteOptions = {}): Promise<RecordData> {
    const scope = await this.#scope(actor, objectName, options.within);
    try {
      return await this.#update(scope, id, input, options);
    } catch (error) {
      throw this.#named(scope, error);
    }
  }

  async #update(scope: CallScope, id: string, input: unknown, options: WriteOptions): Promise<RecordData> {
    requireOperation(scope.access, 'edit');
    refuseProtectedFields(scope.access, input);
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: scope.object.name, id });
    const plan = planUpdate(scope.object, input);
    const within = options.within?.transaction;
    try {
      await checkReferencesVisible(within ?? this.db, scope.actor, scope.object, (input ?? {}) as Row);
      const effects = this.#effects(scope);
      const locked = (trx: Transaction<unknown>) =>
        updateLocked(trx, scope.object, id, input, scope.context.user.id, options.expectedVersion, options.within?.current ? { ...effects, current: options.within.current } : effects);
      const updated = within
        ? await locked(within).then((row) => (options.within?.onStored?.(row), row))
        : // A record that may be awaiting approval is locked and checked first: only the locked form does that.
          plan.kind === 'single' && !approvalLockApplies(scope.actor, scope.object)
          ? await updateSingle(this.db, scope.object, id, plan.values, scope.context.user.id, options.expectedVersion, this.#guard(scope))
          : await this.#unknownDb().transaction().execute(locked);
      return this.#output(scope, updated);
    } catch (error) {
      if (!within) await this.#rolledBack(error);
      throw translateWriteError(error, scope.object);
    }
  }

  /**
   * update() for a transaction the caller opens later, with every check of it (the locked form):
   * approvals apply their field updates in the transaction of the decision. Access is resolved
   * now, so nothing inside that transaction queries outside it (PGlite has one connection).
   */
  async updater(
    actor: Actor,
    objectName: string,
    within: Omit<WithinTransaction, 'transaction'> = {},
  ): Promise<(trx: QueryExecutorProvider, id: string, input: unknown) => Promise<RecordData>> {
    const scope = await this.#scope(actor, objectName, within);
    requireOperation(scope.access, 'edit');
    return async (trx, id, input) => {
      try {
        refuseProtectedFields(scope.access, input);
        if (!isUuid(id)) throw new CrmError('record_not_found', { object: objectName, id });
        planUpdate(scope.object, input);
        await checkReferencesVisible(trx, scope.actor, scope.object, (input ?? {}) as Row);
        return this.#output(scope, await updateLocked(trx, scope.object, id, input, scope.context.user.id, undefined, this.#effects(scope)));
      } catch (error) {
        throw this.#named(scope, error);
      }
    };
  }

  /** Moves a record (and its master-detail children) to the recycle bin. */
  async delete(actor: Actor, objectName: string, id: string, options: WriteOptions = {}): Promise<RecordData> {
    const scope = await this.#scope(actor, objectName, options.within);
    const { object, metadata } = scope;
    requireOperation(scope.access, 'delete');
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: objectName, id });
    const actorId = scope.context.user.id;
    const work = async (trx: Transaction<unknown>) => {
      const before = await currentRow(trx, object, id, options.expectedVersion, this.#guard(scope));
      await refuseIfReferenced(trx, metadata, object, [id]);
      const deletedAt = new Date().toISOString();
      const stored = await updateRow(trx, object, id, {}, actorId, sql`deleted_at = ${deletedAt}::timestamptz`);
      await maintainRollups(trx, object, [stored]);
      await cascadeSoftDelete(trx, metadata, object, [id], deletedAt, actorId);
      return this.#hooked(scope, 'deleted') ? this.#afterWrite(trx, scope, 'deleted', before, stored) : stored;
    };
    try {
      const deleted = options.within ? await work(options.within.transaction) : await this.#unknownDb().transaction().execute(work);
      return this.#output(scope, deleted);
    } catch (error) {
      if (!options.within) await this.#rolledBack(error);
      throw translateWriteError(error, object);
    }
  }

  /** Brings a record back from the recycle bin, with the children that went with it. */
  async restore(actor: Actor, objectName: string, id: string, options: Pick<WriteOptions, 'within'> = {}): Promise<RecordData> {
    const scope = await this.#scope(actor, objectName, options.within);
    const { object, metadata } = scope;
    requireOperation(scope.access, 'delete');
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: objectName, id });
    const actorId = scope.context.user.id;
    const work = async (trx: Transaction<unknown>) => {
      const current = await this.#binRow(trx, scope, id, true);
      if (current.deleted_at === null) return current;
      await refuseIfMasterDeleted(trx, metadata, object, current);
      const stored = await updateRow(trx, object, id, {}, actorId, sql`deleted_at = null`);
      await maintainRollups(trx, object, [stored]);
      await cascadeRestore(trx, metadata, object, [id], current.deleted_at as string, actorId);
      return this.#hooked(scope, 'restored') ? this.#afterWrite(trx, scope, 'restored', current, stored) : stored;
    };
    try {
      const restored = options.within ? await work(options.within.transaction) : await this.#unknownDb().transaction().execute(work);
      return this.#output(scope, restored);
    } catch (error) {
      if (!options.within) await this.#rolledBack(error);
      throw translateWriteError(error, object);
    }
  }

  /** Deletes a record in the recycle bin for good. */
  async purge(actor: Actor, objectName: string, id: string): Promise<{ id: string }> {
    const scope = await this.#scope(actor, objectName);
    requireOperation(scope.access, 'delete');
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: objectName, id });
    try {
      await this.db.transaction().execute(async (trx) => {
        const row = await this.#binRow(trx, scope, id, true);
        if (row.deleted_at === null) throw new CrmError('record_not_found', { object: objectName, id });
        await sql`delete from ${recordTable(scope.object.table)} where id = ${id}::uuid`.execute(trx);
      });
      return { id };
    } catch (error) {
      throw translateWriteError(error, scope.object);
    }
  }

  /**
   * Creates, updates or upserts up to 1,000 records with a result per row (see bulk.ts); every
   * row passes the same access checks as a single write. With an idempotency key a retry returns
   * the first run's results.
   */
  async bulk(actor: Actor, objectName: string, request: unknown, options: CreateOptions = {}): Promise<BulkResult> {
    const scope = await this.#scope(actor, objectName);
    return this.#bulk(scope, checkBulkRequest(scope.object, request), options);
  }

  /**
   * Imports a CSV or NDJSON file (see import.ts): every record through the bulk pipeline, rows
   * reported by the line they came from, the import audited.
   */
  async import(actor: Actor, objectName: string, request: ImportRequest): Promise<ImportResult> {
    const scope = await this.#scope(actor, objectName);
    requireOperation(scope.access, 'create');
    const { bulk, lines } = importAsBulk(scope.object, request, scope.access.hidden);
    const result = importResult(await this.#bulk(scope, checkBulkRequest(scope.object, bulk, MAX_IMPORT_ROWS), {}), lines);
    await recordAudit(this.db, {
      actorId: scope.context.user.id,
      event: 'import',
      subject: objectName,
      details: { format: request.format, mode: bulk.operation, committed: result.committed, ...result.summary },
    });
    return result;
  }

  async #bulk(scope: CallScope, checked: BulkRequest, options: CreateOptions): Promise<BulkResult> {
    const { object, access } = scope;
    const objectName = object.name;
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
      findByUnique: async (trx, field, value) => {
        const predicate = recordPredicate(scope.actor, objectName, 'read');
        const found = await sql<{ id: string }>`
          select id from ${recordTable(object.table)}
          where ${sql.ref(field)} = ${value} and deleted_at is null ${predicate ? sql`and ${predicate}` : sql``} for update`.execute(trx);
        return found.rows[0]?.id;
      },
    };
    const run = async (trx: Transaction<unknown>) => {
      const written = await runBulk(trx, object, checked, writers, (row) => this.#output(scope, row));
      const result = { ...written, results: written.results.map((r) => (r.error ? { ...r, error: this.#named(scope, r.error) as CrmError } : r)) };
      // Undo everything by failing the transaction; the result travels with the error.
      if (!result.committed) throw new BulkRollback(result);
      return serializeBulk(result);
    };
    try {
      const result = options.idempotency
        ? await runIdempotent(this.#unknownDb(), scope.context.user.id, options.idempotency, run)
        : await this.#unknownDb().transaction().execute(run);
      return deserializeBulk(result);
    } catch (error) {
      if (error instanceof BulkRollback) return error.result;
      throw translateWriteError(error, object);
    }
  }

  /**
   * Gives records to a new owner, all or none, each through the update pipeline (the new owner
   * must be inside the actor's edit scope; every transfer is audited).
   */
  async transfer(actor: Actor, objectName: string, ids: unknown, ownerId: unknown): Promise<{ transferred: number }> {
    const scope = await this.#scope(actor, objectName);
    requireOperation(scope.access, 'edit');
    try {
      refuseProtectedFields(scope.access, { owner_id: ownerId });
    } catch (error) {
      throw this.#named(scope, error);
    }
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_TRANSFER || ids.some((id) => typeof id !== 'string' || !isUuid(id))) {
      throw validationError([{ path: 'ids', code: 'invalid', params: { reason: `must be 1 to ${MAX_TRANSFER} record ids` } }]);
    }
    if (typeof ownerId !== 'string' || !isUuid(ownerId)) throw this.#named(scope, validationError([{ path: 'owner_id', code: 'type', params: { expected: 'a user id' } }]));
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const id of new Set(ids as string[])) await updateLocked(trx, scope.object, id, { owner_id: ownerId }, scope.context.user.id, undefined, this.#effects(scope));
      });
    } catch (error) {
      throw this.#named(scope, error);
    }
    return { transferred: new Set(ids).size };
  }

  /**
   * Exports what the actor may read, as they may see it (their record scope, without hidden
   * fields): one page of SQL at a time, so memory stays flat. Needs the export permission; the
   * export is audited once it has been read to the end.
   */
  async *export(actor: Actor, objectName: string, options: ExportOptions = {}): AsyncGenerator<string> {
    const scope = await this.#scope(actor, objectName);
    requireOperation(scope.access, 'export');
    const format = options.format ?? 'csv';
    if (format !== 'csv' && format !== 'ndjson') throw validationError([{ path: 'format', code: 'invalid', params: { reason: 'must be csv or ndjson' } }]);
    const visible = visibleSelection(scope.object, checkFieldSelection(scope.object, options.fields, scope.access.hidden), scope.access.hidden);
    const columns = scope.object.fields.map((f) => f.name).filter((name) => (visible ? visible.has(name) : true) && (!options.fields || options.fields.includes(name) || name === 'id'));
    const listAccess = this.#listAccess(scope);
    // Refused before the first byte: a cut-off file would look complete to whoever opens it.
    const max = this.options.exportMaxRows ?? MAX_EXPORT;
    const size = await countRecordsUpTo(this.db, scope.object, { filter: options.filter }, scope.context, listAccess, max + 1);
    if (size > max) throw new CrmError('export_too_large', { max: max.toLocaleString('en') });
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await listRecords(
        this.db,
        scope.object,
        { filter: options.filter, sort: options.sort, fields: columns, limit: 500, ...(cursor ? { cursor } : {}) },
        scope.context,
        listAccess,
      );
      await applyVisibleRollups(this.db, scope.actor, scope.object, page.data);
      yield exportLines(format, columns, page.data, count === 0);
      count += page.data.length;
      cursor = page.next_cursor ?? undefined;
    } while (cursor && count < max);
    await recordAudit(this.db, {
      actorId: scope.context.user.id,
      event: 'export',
      subject: objectName,
      details: { format, count, filter: options.filter ?? null, fields: columns },
    });
  }

  /** The field history of a record the actor can read, without the fields they may not see. */
  async history(actor: Actor, objectName: string, id: string): Promise<FieldChange[]> {
    const scope = await this.#scope(actor, objectName);
    await this.get(actor, objectName, id, { fields: ['id'], includeDeleted: true });
    return readFieldHistory(this.db, scope.object, id, scope.access.hidden);
  }

  /** The actor's access, for services that build on records (shares, export, transfer). */
  async accessFor(actor: Actor, objectName: string): Promise<CallScope> {
    return this.#scope(actor, objectName);
  }

  async #scope(actor: Actor, objectName: string, within?: Omit<WithinTransaction, 'transaction'>): Promise<CallScope> {
    assertActor(actor);
    const metadata = within?.metadata ?? (await this.cache.withObject(objectName));
    const object = metadata.object(objectName);
    const access = await this.resolver.forActor(actor, metadata);
    if (!access.subject.active) throw new CrmError('actor_invalid');
    return {
      metadata,
      object,
      actor: access,
      access: access.object(objectName),
      context: { user: within?.onBehalfOf ?? { id: actorUserId(actor), departmentId: access.subject.departmentId, roles: access.subject.roleNames }, now: new Date() },
      depth: within?.workflowDepth ?? 0,
    };
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

  async #rolledBack(error: unknown): Promise<void> {
    await this.#hooks?.afterRollback(error).catch(() => {});
  }

  #listAccess(scope: CallScope): ListAccess {
    return { hidden: scope.access.hidden, visibility: (bind) => recordVisibility(scope.actor, scope.object.name, 'read', bind ? { bind } : {}) };
  }

  #guard(scope: CallScope): RowGuard {
    const read = recordPredicate(scope.actor, scope.object.name, 'read');
    const edit = recordPredicate(scope.actor, scope.object.name, 'edit');
    return { ...(read ? { read } : {}), ...(edit ? { edit } : {}), ...(approvalLockApplies(scope.actor, scope.object) ? { refuseAwaitingApproval: true } : {}) };
  }

  #effects(scope: CallScope): UpdateEffects {
    return {
      guard: this.#guard(scope),
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

  /** A row in or out of the recycle bin, as the actor may see and change it. */
  async #binRow(db: QueryExecutorProvider, scope: CallScope, id: string, lock: boolean): Promise<Row> {
    const guard = this.#guard(scope);
    const result = await sql<Row & { __editable: boolean }>`
      select ${columnList(scope.object.columns)}, ${guard.edit ?? sql`true`} as __editable from ${recordTable(scope.object.table)}
      where id = ${id}::uuid ${guard.read ? sql`and ${guard.read}` : sql``} ${lock ? sql`for update` : sql``}`.execute(db);
    const found = result.rows[0];
    if (!found) throw new CrmError('record_not_found', { object: scope.object.name, id });
    const { __editable: editable, ...row } = found;
    if (!editable) throw new CrmError('forbidden', { action: 'delete', subject: `${scope.object.name} ${id}` });
    return row;
  }

  /** A failed write's error as the caller reads it: a catalogue error, its fields named by the labels the caller may see. */
  #named(scope: CallScope, error: unknown): unknown {
    return nameFieldsByLabel(translateWriteError(error, scope.object), scope.object, scope.access.hidden);
  }

  #output(scope: CallScope, row: Row): RecordData {
    return outputRecord(scope.object, row, scope.context, visibleSelection(scope.object, undefined, scope.access.hidden));
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

export type { CallScope };
