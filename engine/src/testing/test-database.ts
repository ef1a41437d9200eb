import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseOptions } from '../db/open-database';

export interface TestDatabase {
  readonly options: DatabaseOptions;
  readonly kind: 'pglite' | 'postgres';
  /** Removes the database (PostgreSQL) - PGlite in memory vanishes with its instance. */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new in-memory PGlite by default, or a new
 * database on the server named by DATABASE_URL, so test files never see each other's data.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    return { options: {}, kind: 'pglite', drop: async () => {} };
  }
  const name = `crm_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString(), poolSize: 5 },
    kind: 'postgres',
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
