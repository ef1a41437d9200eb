import type { Kysely, QueryExecutorProvider } from 'kysely';
import { assertActor, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { computationOf } from '../field-types';
import type { MetadataCache } from '../metadata/cache';
import type { AccessResolver } from '../security/access-resolver';
import { checkBulkRequest, type BulkResult } from './bulk';
import { recordEditability, type RecordEditability } from './editability';
import type { FieldChange } from './field-history';
import type { GroupOptions, GroupTotal } from './group-totals';
import { checkGlobalSearch, searchObjects, type GlobalSearchOptions, type ObjectHits } from './global-search';
import { requireOperation } from './guards';
import type { ImportRequest, ImportResult } from './import';
import { usersNamed } from './import-references';
import type { ListResult } from './list-query';
import { RecordReads, type ExportOptions, type GetOptions, type RecordListOptions } from './record-reads';
import { namedError, resolveScope, type CallScope, type RecordAccess } from './record-scope';
import { RecordWrites, type CreateOptions, type WriteOptions } from './record-writes';
import type { RecordData } from './representation';
import type { RecordWriteHooks, WithinTransaction } from './write-hooks';

export type { CreateOptions, ExportOptions, GetOptions, GlobalSearchOptions, ObjectHits, RecordAccess, RecordEditability, RecordListOptions, WriteOptions };

export interface RecordServiceOptions {
  /** The most records one export may hold (default 100,000); a larger export is refused, never cut short. */
  readonly exportMaxRows?: number;
  /**
   * Rows an import writes per transaction when it is not all or nothing (default 100, about a
   * tenth of a second on PGlite): between them other requests get the database (PGlite has one
   * connection) and the process, and no transaction holds ten thousand rows' locks.
   */
  readonly importChunkRows?: number;
}

/**
 * Records of every object, for one actor per call: resolves the actor's metadata, access and rule
 * context once (record-scope.ts), then reads (record-reads.ts) or writes through the one write
 * pipeline (record-writes.ts). Every read and write carries the actor's record visibility as SQL.
 * No method knows about HTTP.
 */
export class RecordService {
  readonly #reads: RecordReads;
  readonly #writes: RecordWrites;

  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly cache: MetadataCache,
    private readonly resolver: AccessResolver,
    options: RecordServiceOptions = {},
  ) {
    this.#reads = new RecordReads(db, options.exportMaxRows);
    this.#writes = new RecordWrites(db, options.importChunkRows);
  }

  /** Installs what runs after every record write in its transaction (the workflows); once, at start. */
  useHooks(hooks: RecordWriteHooks): void {
    this.#writes.useHooks(hooks);
  }

  async get(actor: Actor, objectName: string, id: string, options: GetOptions = {}): Promise<RecordData> {
    return this.#reads.get(await this.#scope(actor, objectName), id, options);
  }

  async list(actor: Actor, objectName: string, options: RecordListOptions = {}): Promise<ListResult> {
    return this.#reads.list(await this.#scope(actor, objectName), options);
  }

  /** Record counts (and a sum) per value of a field, over the records the actor may read. */
  async groups(actor: Actor, objectName: string, options: GroupOptions): Promise<GroupTotal[]> {
    return this.#reads.groups(await this.#scope(actor, objectName), options);
  }

  /** Global search: the first `limit` records matching `text` of every object the actor may search (global-search.ts). */
  async search(actor: Actor, text: unknown, options: GlobalSearchOptions = {}): Promise<ObjectHits[]> {
    assertActor(actor);
    const checked = checkGlobalSearch(text, options);
    const metadata = await this.cache.current();
    const access = await this.resolver.forActor(actor, metadata);
    const objects = metadata.objects().map((object) => ({ object, access: access.object(object.name) }));
    return searchObjects(objects, checked.text, checked.limit, (object, listOptions) => this.list(actor, object, listOptions));
  }

  async *export(actor: Actor, objectName: string, options: ExportOptions = {}): AsyncGenerator<string> {
    yield* this.#reads.export(await this.#scope(actor, objectName), options);
  }

  /** Of these records the actor may read, which they may change: what a UI offers before the user tries (editability.ts). */
  async editability(actor: Actor, objectName: string, ids: readonly string[]): Promise<RecordEditability[]> {
    const scope = await this.#scope(actor, objectName);
    requireOperation(scope.access, 'read');
    return recordEditability(this.db, scope, ids);
  }

  /** The field history of a record the actor can read, without the fields they may not see. */
  async history(actor: Actor, objectName: string, id: string): Promise<FieldChange[]> {
    return this.#reads.history(await this.#scope(actor, objectName), id);
  }

  async create(actor: Actor, objectName: string, input: unknown, options: CreateOptions = {}): Promise<RecordData> {
    const scope = await this.#scope(actor, objectName, options.within);
    return this.#writes.create(scope, input, options).catch((error: unknown) => Promise.reject(namedError(scope, error)));
  }

  async update(actor: Actor, objectName: string, id: string, input: unknown, options: WriteOptions = {}): Promise<RecordData> {
    const scope = await this.#scope(actor, objectName, options.within);
    return this.#writes.update(scope, id, input, options).catch((error: unknown) => Promise.reject(namedError(scope, error)));
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
    return this.#writes.updater(await this.#scope(actor, objectName, within));
  }

  /** Moves a record (and its master-detail children) to the recycle bin. */
  async delete(actor: Actor, objectName: string, id: string, options: WriteOptions = {}): Promise<RecordData> {
    return this.#writes.delete(await this.#scope(actor, objectName, options.within), id, options);
  }

  /** Brings a record back from the recycle bin, with the children that went with it. */
  async restore(actor: Actor, objectName: string, id: string, options: Pick<WriteOptions, 'within'> = {}): Promise<RecordData> {
    return this.#writes.restore(await this.#scope(actor, objectName, options.within), id, options);
  }

  /** Deletes a record in the recycle bin for good. */
  async purge(actor: Actor, objectName: string, id: string): Promise<{ id: string }> {
    return this.#writes.purge(await this.#scope(actor, objectName), id);
  }

  /** Creates, updates or upserts up to 1,000 records with a result per row (see bulk.ts). */
  async bulk(actor: Actor, objectName: string, request: unknown, options: CreateOptions = {}): Promise<BulkResult> {
    const scope = await this.#scope(actor, objectName);
    return this.#writes.bulk(scope, checkBulkRequest(scope.object, request), options);
  }

  /**
   * Imports a CSV or NDJSON file (see import.ts): rows reported by the line they came from, the
   * import audited. With an idempotency key it is one transaction, and a retry with the key gets
   * the first run's answer instead of writing the rows again (a client whose answer was lost).
   */
  async import(actor: Actor, objectName: string, request: ImportRequest, options: CreateOptions = {}): Promise<ImportResult> {
    return this.#writes.import(
      await this.#scope(actor, objectName),
      request,
      {
        records: (target, names) => this.#recordsNamed(actor, target, names),
        users: (names) => usersNamed(this.db, names),
      },
      options,
    );
  }

  /**
   * Ids, by name, of the target's records the actor can read whose title, or a unique text field
   * such as a code or an autonumber ("ACC-00012"), holds the name (import-references.ts). Fields
   * hidden from the actor are not searched; without read access nothing is named for them.
   */
  async #recordsNamed(actor: Actor, target: string, names: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const found = new Map<string, Set<string>>();
    const scope = await this.#scope(actor, target);
    if (!scope.access.may('read')) return new Map();
    const title = scope.object.definition.title_field;
    const keys = scope.object.fields
      .filter((field) => !field.system && field.kind === 'string' && field.column !== null && (field.name === title || field.definition.unique === true || computationOf(field.definition)?.kind === 'sequence'))
      .map((field) => field.name)
      .filter((name) => !scope.access.hidden.has(name));
    if (keys.length === 0) return new Map();
    const wanted = [...names];
    const filter = { or: keys.map((key) => ({ in: [{ var: key }, wanted] })) };
    let cursor: string | undefined;
    do {
      const page = await this.#reads.list(scope, { filter, fields: keys, limit: 500, ...(cursor ? { cursor } : {}) });
      for (const row of page.data) {
        for (const key of keys) {
          const value = row[key];
          if (typeof value === 'string' && names.includes(value)) found.set(value, (found.get(value) ?? new Set()).add(String(row.id)));
        }
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return new Map([...found].map(([name, ids]) => [name, [...ids]]));
  }

  /** Gives records to a new owner, all or none, each through the update pipeline. */
  async transfer(actor: Actor, objectName: string, ids: unknown, ownerId: unknown): Promise<{ transferred: number }> {
    return this.#writes.transfer(await this.#scope(actor, objectName), ids, ownerId);
  }

  /** The actor's access to an object, for services that build on records (shares, approvals). */
  async accessFor(actor: Actor, objectName: string): Promise<RecordAccess> {
    return this.#scope(actor, objectName);
  }

  #scope(actor: Actor, objectName: string, within?: Omit<WithinTransaction, 'transaction'>): Promise<CallScope> {
    return resolveScope(this.cache, this.resolver, actor, objectName, within);
  }
}
