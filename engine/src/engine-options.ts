import { pgliteSharedBuffersProblem } from './db/open-database';
import { deliveryOptionsFromEnv } from './delivery';
import type { EngineOptions } from './engine';
import { jobOptionsFromEnv } from './jobs';
import { fromEnv, type EnvReader, type EnvRecord } from './config/env-reader';
import { processTimeZoneProblem } from './config/time-zone';

/**
 * The engine's settings read from an environment record: DATABASE_URL selects PostgreSQL, else
 * PGlite in CRM_DATA_DIR (./.data); the rest as in README "Configuration". A pure function of the
 * record it is given: the engine itself never looks at `process.env` (the server's loadConfig
 * hands it the environment, and tests hand it whatever they like).
 */
export function readEngineOptions(read: EnvReader): EngineOptions {
  // TZ is the process's (Node reads it itself); it is checked here because a misspelt zone makes
  // Node run on UTC without a word, and dates and `$today` would be off.
  read.checked('TZ', processTimeZoneProblem);
  const sessionHours = read.number('CRM_SESSION_HOURS', { min: 0.01, max: 24 * 366, integer: false });
  const exportMaxRows = read.number('CRM_EXPORT_MAX_ROWS', { min: 1, max: 10_000_000 });
  return {
    databaseUrl: read.checked('DATABASE_URL', databaseUrlProblem),
    dataDir: read.text('CRM_DATA_DIR') ?? './.data',
    poolSize: read.number('CRM_DB_POOL_SIZE', { min: 1, max: 1000 }),
    pgliteSharedBuffers: read.checked('CRM_PGLITE_SHARED_BUFFERS', pgliteSharedBuffersProblem),
    auth: sessionHours !== undefined ? { sessionLifetimeMs: Math.round(sessionHours * 60 * 60 * 1000) } : undefined,
    records: exportMaxRows !== undefined ? { exportMaxRows } : undefined,
    jobs: jobOptionsFromEnv(read),
    delivery: deliveryOptionsFromEnv(read),
  };
}

/**
 * Engine options from an environment record alone. Throws ConfigurationError naming every
 * variable whose value cannot be used (TZ included: Node would silently run on UTC).
 */
export function engineOptionsFromEnv(env: EnvRecord): EngineOptions {
  return fromEnv(env, readEngineOptions);
}

/** Why DATABASE_URL cannot name a PostgreSQL server, or undefined when it can. */
export function databaseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL such as postgres://user:password@host:5432/database';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'must be a postgres:// or postgresql:// URL';
  return undefined;
}
