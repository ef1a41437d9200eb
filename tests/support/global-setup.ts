import { preparePgliteTemplate, preparePostgresTemplate } from '@crm/engine/test-database';

/**
 * Builds, once per run and before any test file starts, the migrated database that every test
 * file's database is copied from (see createTestDatabase), so parallel files do not all build it.
 */
export default async function prepareTemplateDatabase(): Promise<void> {
  if (process.env.DATABASE_URL) await preparePostgresTemplate(process.env.DATABASE_URL);
  else await preparePgliteTemplate();
}
