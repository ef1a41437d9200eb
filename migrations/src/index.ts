import type { Migration, MigrationProvider } from 'kysely';
import * as systemSchema from './0001_system_schema';
import * as ruleFunctions from './0002_rule_functions';
import * as auth from './0003_auth';
import * as idempotency from './0004_idempotency';
import * as security from './0005_security';
import * as validationRules from './0006_validation_rules';
import * as jobs from './0007_jobs';
import * as approvals from './0008_approvals';
import * as departmentClosure from './0009_department_closure';
import * as workflows from './0010_workflows';
import * as scopeFunctions from './0011_scope_functions';
import * as searchIndexes from './0012_search_indexes';
import * as pinyinSearchKeys from './0013_pinyin_search_keys';
import * as approvalLists from './0014_approval_lists';
import * as savedViews from './0015_saved_views';
import * as notificationTranslations from './0016_notification_translations';

export { SYSTEM_USER_ID } from './0001_system_schema';
export { ADMINISTRATOR_ROLE_ID } from './0005_security';

/**
 * The system schema, in order. Names sort lexically, which is the order Kysely applies them;
 * a migration once released is never edited, only followed by a new one.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_system_schema': systemSchema,
  '0002_rule_functions': ruleFunctions,
  '0003_auth': auth,
  '0004_idempotency': idempotency,
  '0005_security': security,
  '0006_validation_rules': validationRules,
  '0007_jobs': jobs,
  '0008_approvals': approvals,
  '0009_department_closure': departmentClosure,
  '0010_workflows': workflows,
  '0011_scope_functions': scopeFunctions,
  '0012_search_indexes': searchIndexes,
  '0013_pinyin_search_keys': pinyinSearchKeys,
  '0014_approval_lists': approvalLists,
  '0015_saved_views': savedViews,
  '0016_notification_translations': notificationTranslations,
});

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};

/** Where Kysely keeps its own bookkeeping tables. */
export const MIGRATION_SCHEMA = 'crm_meta';
