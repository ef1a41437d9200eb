import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Atomic units: several service calls, each opening its own transaction as usual, made one
 * transaction, so that all of them commit or none does (a template install: dozens of metadata
 * changes, users and records). The services need no change and no transaction passed down. While
 * a unit is open in an async context, every statement of that context goes to the unit's
 * connection, and the transactions begun there become savepoints of the unit's transaction: one
 * that fails rolls back to its savepoint, as it rolled back alone before, and the caller that
 * catches it carries on in the unit.
 */
class Unit implements DatabaseConnection {
  /** Cleared once the unit commits or rolls back: a late statement of its context then runs on its own. */
  open = true;
  /** The savepoint standing for the transaction open inside the unit (one at a time). */
  savepoint: string | undefined;
  sequence = 0;
  /** What to do once the unit has rolled back, by key (a later hook of one key replaces the earlier). */
  readonly undo = new Map<object, () => Promise<void>>();
  /** What to do once the unit has committed, by key (likewise). */
  readonly done = new Map<object, () => void>();
  /** State kept beside the database for this unit only, by key (see `atomicUnitState`). */
  readonly state = new Map<object, unknown>();

  constructor(
    readonly driver: AtomicDriver,
    /** The connection the unit's transaction runs on. */
    readonly connection: DatabaseConnection,
  ) {}

  // The unit is what its statements acquire: the connection under another identity, so releasing
  // it is told apart from releasing the connection itself (PGlite has only one).
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.opened().connection.executeQuery<R>(query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.opened().connection.streamQuery<R>(query, chunkSize);
  }

  /**
   * This unit while it is open. Work of the unit still running after it ended (a transaction
   * beside one that failed, under Promise.all) must not run: on the connection outside the
   * transaction, it would commit on its own, or inside someone else's.
   */
  opened(): this {
    if (!this.open) throw new Error('a statement of an atomic unit ran after the unit ended');
    return this;
  }
}

const units = new AsyncLocalStorage<Unit>();

/** Whether an atomic unit is open in this async context (on any database). */
export function insideAtomicUnit(): boolean {
  return units.getStore()?.open === true;
}

/**
 * Runs `undo` after the open atomic unit rolls back, outside it (its connection released); outside
 * a unit it does nothing. For state kept beside the database, such as a cache of what the unit's
 * transactions committed to it. A later call with the same key replaces the hook.
 */
export function whenRolledBack(key: object, undo: () => Promise<void>): void {
  const unit = units.getStore();
  if (unit?.open) unit.undo.set(key, undo);
}

/**
 * Runs `done` once the open atomic unit has committed; outside a unit it does nothing. For state
 * kept beside the database that others may see only once the unit's writes are theirs to see too.
 * A later call with the same key replaces the hook.
 */
export function whenCommitted(key: object, done: () => void): void {
  const unit = units.getStore();
  if (unit?.open) unit.done.set(key, done);
}

/**
 * The open atomic unit's own state beside the database (undefined outside a unit): what it has
 * written but not committed, such as the metadata compiled from its changes, kept from everyone else.
 */
export function atomicUnitState(): Map<object, unknown> | undefined {
  const unit = units.getStore();
  return unit?.open ? unit.state : undefined;
}

class AtomicDriver implements Driver {
  constructor(readonly inner: Driver) {}

  /** The unit open in this context on this driver, if any. */
  #unit(): Unit | undefined {
    const unit = units.getStore();
    return unit?.open && unit.driver === this ? unit : undefined;
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#unit() ?? this.inner.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // The unit's connection is the unit's to release, even for a statement that ends after it.
    if (connection instanceof Unit) return;
    await this.inner.releaseConnection(connection);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (!(connection instanceof Unit)) return this.inner.beginTransaction(connection, settings);
    const unit = connection.opened();
    // Kysely cannot nest transactions, so a second one here was begun beside the first, and
    // their statements would interleave on the one connection.
    if (unit.savepoint) throw new Error('two transactions at once inside one atomic unit: run them one after the other');
    unit.sequence += 1;
    unit.savepoint = `atomic_unit_${unit.sequence}`;
    await unit.connection.executeQuery(CompiledQuery.raw(`savepoint ${unit.savepoint}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof Unit)) return this.inner.commitTransaction(connection);
    const unit = connection.opened();
    const savepoint = unit.savepoint;
    unit.savepoint = undefined;
    await unit.connection.executeQuery(CompiledQuery.raw(`release savepoint ${savepoint}`));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof Unit)) return this.inner.rollbackTransaction(connection);
    const unit = connection.opened();
    const savepoint = unit.savepoint;
    unit.savepoint = undefined;
    await unit.connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${savepoint}`));
    await unit.connection.executeQuery(CompiledQuery.raw(`release savepoint ${savepoint}`));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  /** Runs `work` as one atomic unit; inside an open unit of this database, as part of it. */
  async atomically<T>(work: () => Promise<T>): Promise<T> {
    if (this.#unit()) return work();
    const connection = await this.inner.acquireConnection();
    const unit = new Unit(this, connection);
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await this.inner.releaseConnection(connection);
    };
    try {
      await this.inner.beginTransaction(connection, {});
      let result: T;
      try {
        result = await units.run(unit, work);
        unit.open = false;
        await this.inner.commitTransaction(connection);
        // Committed: nothing may undo it now, so a hook that throws is not the caller's failure.
        for (const done of unit.done.values()) {
          try {
            done();
          } catch {
            // The hooks publish what is already committed; the next read of it reloads.
          }
        }
      } catch (error) {
        unit.open = false;
        // A failed commit has ended the transaction already; the rollback is then a no-op warning.
        await this.inner.rollbackTransaction(connection).catch(() => {});
        await release();
        // The caller is told why the unit failed; an undo that fails too (the database gone) must
        // not hide that, and the undos are written to leave memory consistent before they write.
        for (const undo of unit.undo.values()) await undo().catch(() => {});
        throw error;
      }
      return result;
    } finally {
      await release();
    }
  }
}

/**
 * A dialect whose driver can run atomic units (`atomically`), wrapping any other dialect (the
 * PostgreSQL pool's, PGlite's).
 */
export class AtomicDialect implements Dialect {
  #driver: AtomicDriver | undefined;

  constructor(private readonly inner: Dialect) {}

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  createDriver(): Driver {
    this.#driver = new AtomicDriver(this.inner.createDriver());
    return this.#driver;
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }

  /** Runs `work` as one transaction (see the module's comment). */
  atomically<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#driver) throw new Error('AtomicDialect: no Kysely instance was created with this dialect');
    return this.#driver.atomically(work);
  }
}
