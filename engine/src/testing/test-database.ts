import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrations } from '@crm/migrations';
import { openUnmigrated, type DatabaseOptions } from '../db/open-database';
import { createEngine } from '../engine';

export interface TestDatabase {
  readonly options: DatabaseOptions;
  readonly kind: 'pglite' | 'postgres';
  /** Removes the database (PostgreSQL) - PGlite in memory vanishes with its instance. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * Start from a copy of a database that already holds the current system schema (default), or
   * from an empty one (upgrade tests). Copying a prepared one is seconds faster than initdb and
   * the migrations in every test file.
   */
  readonly migrated?: boolean;
}

/**
 * A fresh database for one test file: a new in-memory PGlite by default, or a new database on the
 * server named by DATABASE_URL, so test files never see each other's data.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  // Test-only: the suite's choice of database comes from the test run's environment. The engine
  // proper never reads process.env; the server's loadConfig hands it its options.
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    return { options: migrated ? { pgliteArchive: await preparePgliteTemplate() } : {}, kind: 'pglite', drop: async () => {} };
  }
  const template = migrated ? await preparePostgresTemplate(serverUrl) : undefined;
  const name = `crm_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withServer(serverUrl, (admin) => admin.query(`create database ${pg.escapeIdentifier(name)}${template ? ` template ${pg.escapeIdentifier(template)}` : ''}`));
  return {
    options: { databaseUrl: databaseUrl(serverUrl, name), poolSize: 5 },
    kind: 'postgres',
    async drop() {
      await withServer(serverUrl, (admin) => admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
    },
  };
}

/**
 * Names the system schema the migrations build, so a prepared copy is rebuilt whenever a
 * migration is added or changed (and never reused across different schemas).
 */
function schemaDigest(): string {
  const hash = createHash('sha256');
  for (const [name, migration] of Object.entries(migrations)) hash.update(name).update(String(migration.up)).update(String(migration.down));
  return hash.digest('hex').slice(0, 16);
}

/** A PGlite data folder archive of a database on which an engine has started once. */
export async function preparePgliteTemplate(): Promise<string> {
  const folder = join(tmpdir(), 'crm-test-templates');
  const archive = join(folder, `pglite-${schemaDigest()}.tar`);
  if (existsSync(archive)) return archive;
  mkdirSync(folder, { recursive: true });
  const engine = await createEngine({});
  try {
    await engine.jobs.stop();
    const dump = await engine.database.dumpDataDir!();
    // Written aside and renamed, so a test file starting meanwhile never reads half an archive.
    const partial = `${archive}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, archive);
  } finally {
    await engine.close();
  }
  return archive;
}

/**
 * A PGlite data folder on disk holding a migrated database (from the prepared archive), for a
 * server started as its own process on it: initdb there would cost every such test seconds.
 */
export async function createTestDataDir(prefix = 'crm-test-'): Promise<string> {
  const archive = await preparePgliteTemplate();
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  // Opened once the way the server opens it, which unpacks the archive into the folder.
  const database = await openUnmigrated({ dataDir, pgliteArchive: archive });
  await database.close();
  return dataDir;
}

/** A database on the server, used as CREATE DATABASE's template, on which an engine has started once. */
export async function preparePostgresTemplate(serverUrl: string): Promise<string> {
  const template = `crm_template_${schemaDigest()}`;
  // One process builds it while the others wait; a half-built one is never visible under its name.
  return withServer(serverUrl, async (admin) => {
    await admin.query('select pg_advisory_lock(hashtext($1))', [template]);
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [template]);
      if (exists.rowCount) return template;
      const building = `${template}_${randomBytes(4).toString('hex')}`;
      await admin.query(`create database ${pg.escapeIdentifier(building)}`);
      const engine = await createEngine({ databaseUrl: databaseUrl(serverUrl, building), poolSize: 2 });
      await engine.close();
      await admin.query(`alter database ${pg.escapeIdentifier(building)} rename to ${pg.escapeIdentifier(template)}`);
      return template;
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
