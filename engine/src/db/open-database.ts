import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { MIGRATION_SCHEMA, migrationProvider } from '@crm/migrations';
import { AtomicDialect } from './atomic-unit';
import { registerDirectQuery } from './direct-queries';
import { useNamedStatements } from './named-statements';
import { ConnectionLock, PGliteDialect } from './pglite-dialect';
import type { SystemDatabase } from './system-tables';
import { valueParsers } from './type-parsers';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** postgres://... selects PostgreSQL; otherwise PGlite is used. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` (or undefined with `inMemory`) keeps it in memory. */
  readonly dataDir?: string | undefined;
  readonly poolSize?: number | undefined;
  /**
   * PGlite's `shared_buffers` (PostgreSQL syntax, e.g. `32MB`). PostgreSQL touches all of it at
   * start, so it is resident memory from the first second; PGlite's own default is 160 MB.
   */
  readonly pgliteSharedBuffers?: string | undefined;
  /**
   * PGlite: a data folder archive (from `Database.dumpDataDir`) to start from instead of running
   * initdb, e.g. an already migrated database for tests.
   */
  readonly pgliteArchive?: string | undefined;
}

/** Enough for the tables a small team keeps; the operating system caches the data files besides. */
export const DEFAULT_PGLITE_SHARED_BUFFERS = '32MB';

/** Why a value cannot be PGlite's shared_buffers (CRM_PGLITE_SHARED_BUFFERS), or undefined when it can. */
export function pgliteSharedBuffersProblem(value: string): string | undefined {
  return /^\d+(kB|MB|GB)$/.test(value) ? undefined : 'must be a size such as 32MB';
}

export type Unlisten = () => Promise<void>;

/**
 * One handle over either database. Behaviour differences are capabilities, not `if (kind)`
 * checks scattered through the engine.
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<SystemDatabase>;
  /**
   * Runs `work` as one transaction: every service call in it commits with the rest or not at all
   * (db/atomic-unit.ts). Inside an open unit, `work` joins it.
   */
  atomically<T>(work: () => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on a channel (cross-process on PostgreSQL, in-process on PGlite). */
  listen(channel: string, onPayload: (payload: string) => void): Promise<Unlisten>;
  /** PGlite only: the whole data folder as an archive that `pgliteArchive` can start from. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

const SESSION_SETTINGS = '-c TimeZone=UTC -c DateStyle=ISO,YMD -c lock_timeout=10000';

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const db = await openUnmigrated(options);
  await migrateToLatest(db.db);
  return db;
}

/** The database as it is, system schema not brought up to date (upgrade tests start from an older one). */
export async function openUnmigrated(options: DatabaseOptions = {}): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize) : await openPGlite(options);
}

/** Applies the system schema's migrations up to `target` (default: all of them). */
export async function migrateToLatest(db: Kysely<SystemDatabase>, target?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableSchema: MIGRATION_SCHEMA,
  });
  const { error, results } = target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
}

function openPostgres(connectionString: string, poolSize = 10): Database {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    // Recycled now and then: each connection keeps the named statements of the revisions it saw.
    maxLifetimeSeconds: 3600,
    options: SESSION_SETTINGS,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        valueParsers[oid] ?? pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => useNamedStatements(client));
  const dialect = new AtomicDialect(new PostgresDialect({ pool }));
  const kysely = new Kysely<SystemDatabase>({ dialect });
  registerDirectQuery(kysely as unknown as Kysely<unknown>, async (text, values) => {
    const client = await pool.connect();
    try {
      return await client.query(text, values);
    } finally {
      client.release();
    }
  });
  const listeners = new Set<pg.Client>();
  return {
    kind: 'postgres',
    db: kysely,
    atomically: (work) => dialect.atomically(work),
    async listen(channel, onPayload) {
      return listenOnPostgres(connectionString, channel, onPayload, listeners);
    },
    async close() {
      await Promise.all([...listeners].map((client) => client.end().catch(() => {})));
      await kysely.destroy();
    },
  };
}

/** A dedicated connection per channel, reconnected with back-off if the server drops it. */
async function listenOnPostgres(
  connectionString: string,
  channel: string,
  onPayload: (payload: string) => void,
  registry: Set<pg.Client>,
): Promise<Unlisten> {
  let stopped = false;
  let current: pg.Client | undefined;
  let retryDelay = 100;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString, options: SESSION_SETTINGS });
    client.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    client.on('error', () => {
      registry.delete(client);
      if (stopped) return;
      setTimeout(() => void reconnect(), retryDelay);
      retryDelay = Math.min(retryDelay * 2, 5000);
    });
    await client.connect();
    await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    registry.add(client);
    current = client;
    retryDelay = 100;
    // Anything missed while disconnected is covered by telling the subscriber to re-check.
    onPayload('');
  };
  const reconnect = async (): Promise<void> => {
    if (stopped) return;
    try {
      await connect();
    } catch {
      setTimeout(() => void reconnect(), retryDelay);
      retryDelay = Math.min(retryDelay * 2, 5000);
    }
  };

  await connect();
  return async () => {
    stopped = true;
    if (current) {
      registry.delete(current);
      await current.end().catch(() => {});
    }
  };
}

async function openPGlite(options: DatabaseOptions): Promise<Database> {
  const { dataDir } = options;
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  const sharedBuffers = options.pgliteSharedBuffers ?? DEFAULT_PGLITE_SHARED_BUFFERS;
  const problem = pgliteSharedBuffersProblem(sharedBuffers);
  if (problem) throw new Error(`PGlite shared_buffers "${sharedBuffers}" ${problem}`);
  if (!inMemory) {
    mkdirSync(resolve(dataDir), { recursive: true });
    if (!options.pgliteArchive && !existsSync(join(resolve(dataDir), 'PG_VERSION'))) await initDataDirInChildProcess(resolve(dataDir));
  }
  const pglite = await PGlite.create(inMemory ? undefined : resolve(dataDir), {
    parsers: valueParsers,
    postgresqlconf: [`shared_buffers = ${sharedBuffers}`],
    ...(options.pgliteArchive ? { loadDataDir: new Blob([readFileSync(options.pgliteArchive)]) } : {}),
    // Text search's trigram indexes (migration 0012); PostgreSQL has it in contrib.
    extensions: { pg_trgm },
  });
  await pglite.exec(`set TimeZone = 'UTC'; set DateStyle = 'ISO, YMD'; set lock_timeout = 10000;`);
  const dialect = new PGliteDialect(pglite, new ConnectionLock());
  const atomic = new AtomicDialect(dialect);
  const kysely = new Kysely<SystemDatabase>({ dialect: atomic });
  return {
    kind: 'pglite',
    db: kysely,
    atomically: (work) => atomic.atomically(work),
    async listen(channel, onPayload) {
      // LISTEN is a statement on the one session, so it queues behind open transactions.
      const unlisten = await dialect.lock.runExclusive(() => pglite.listen(channel, onPayload));
      return () => dialect.lock.runExclusive(() => unlisten());
    },
    dumpDataDir: () => dialect.lock.runExclusive(() => pglite.dumpDataDir('none')),
    async close() {
      await kysely.destroy();
    },
  };
}

/**
 * initdb grows PGlite's WebAssembly heap to about 800 MiB, and a process never gets that memory
 * back; run in a short-lived process of its own, it leaves the server with what an existing data
 * folder costs (a few hundred MiB less).
 */
async function initDataDirInChildProcess(dataDir: string): Promise<void> {
  const script = fileURLToPath(new URL('./pglite-initdb.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('exit', done);
  });
  if (code !== 0) throw new Error(`creating the PGlite database in ${dataDir} failed (exit ${code}): ${stderr.trim()}`);
}
