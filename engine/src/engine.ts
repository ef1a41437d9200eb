import type { Actor } from './actors';
import { AuthService, type AuthServiceOptions } from './auth/auth-service';
import { openDatabase, type Database, type DatabaseOptions } from './db/open-database';
import { FieldService } from './fields/field-service';
import { createLayoutService } from './layouts/layout-service';
import { MetadataCache, REVISION_CHANNEL } from './metadata/cache';
import { MetadataChangeRunner } from './metadata/change-runner';
import type { CompiledMetadata } from './metadata/compile';
import type { ElementService } from './metadata/element-service';
import type { LayoutDefinition, ViewDefinition } from './metadata/types';
import { ObjectService } from './objects/object-service';
import { RecordService } from './records/record-service';
import { UserService } from './users/user-service';
import { createViewService } from './views/view-service';

export type EngineOptions = DatabaseOptions & {
  /** Session lifetime, credential cache bounds (see AuthServiceOptions). */
  readonly auth?: AuthServiceOptions;
};

/** The engine's public API: metadata services, the record pipeline and users, over one database. */
export interface Engine {
  readonly database: Database;
  readonly objects: ObjectService;
  readonly fields: FieldService;
  readonly layouts: ElementService<LayoutDefinition>;
  readonly views: ElementService<ViewDefinition>;
  readonly records: RecordService;
  readonly users: UserService;
  /** Passwords, sessions and API tokens (who a request is); HTTP specifics stay in the server. */
  readonly auth: AuthService;
  /** Compiled metadata at the newest revision this process knows. */
  metadata(actor: Actor): Promise<CompiledMetadata>;
  close(): Promise<void>;
}

/** Engine options from the environment: DATABASE_URL selects PostgreSQL, else PGlite in CRM_DATA_DIR (./.data). */
export function engineOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineOptions {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.CRM_DATA_DIR || './.data',
    poolSize: env.CRM_DB_POOL_SIZE ? Number(env.CRM_DB_POOL_SIZE) : undefined,
    auth: Number(env.CRM_SESSION_HOURS) > 0 ? { sessionLifetimeMs: Number(env.CRM_SESSION_HOURS) * 60 * 60 * 1000 } : undefined,
  };
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const database = await openDatabase(options);
  const cache = new MetadataCache(database.db);
  const unlisten = await database.listen(REVISION_CHANNEL, (payload) => cache.notify(payload));
  await cache.current();
  const runner = new MetadataChangeRunner(database, cache);
  const auth = new AuthService(database, options.auth);
  await auth.start();
  return {
    database,
    objects: new ObjectService(runner, cache),
    fields: new FieldService(runner, cache),
    layouts: createLayoutService(runner, cache),
    views: createViewService(runner, cache),
    records: new RecordService(database.db, cache),
    // Deactivating a user must stop their sessions and tokens in this process before update() returns.
    users: new UserService(database.db, { onActiveChanged: (userId) => auth.forgetUser(userId) }),
    auth,
    metadata: async () => cache.current(),
    async close() {
      await unlisten().catch(() => {});
      await auth.stop();
      await database.close();
    },
  };
}
