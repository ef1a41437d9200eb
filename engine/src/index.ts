/** @crm/engine: the metadata engine. No HTTP here; the server wraps these operations in routes. */
export { createEngine, type Engine, type EngineOptions } from './engine';
export { engineOptionsFromEnv, readEngineOptions } from './engine-options';
export { ConfigurationError, EnvReader, fromEnv, type EnvRecord, type SettingProblem } from './config/env-reader';
export { systemActor, userActor, SYSTEM_USER_ID, type Actor } from './actors';
export { CrmError, isCrmError, type ErrorBody, type ErrorCode, type FieldIssue, type Locale } from './errors';
export { errorCatalogue, fieldIssueCatalogue, reason, reasonCatalogue, Reason, type ReasonCode } from './errors';
export { schemaReason } from './metadata/ajv';
export { DOCUMENT_LIMITS, JSON_VALUE_LIMITS, REQUEST_LIMITS, RULE_LIMITS, jsonInputIssue, type JsonLimits } from './metadata/json-limits';
export type {
  FieldDefinition,
  FieldType,
  ObjectDefinition,
  LayoutDefinition,
  ViewDefinition,
  ValidationRuleDefinition,
  SortSpec,
  SelectOption,
} from './metadata/types';
export { FIELD_TYPES } from './metadata/types';
export type { I18nText } from './metadata/i18n';
export type { CompiledMetadata } from './metadata/compile';
export type { ChangeReport } from './metadata/change-runner';
export { SCHEMA_OPERATIONS, type SchemaOperation, type SchemaOperationKind } from './metadata/schema-session';
export type { ClientModule } from './client/client-modules';
export type { ObjectInput } from './objects/object-service';
export type { FieldChangeOptions } from './fields/field-service';
export type { ConversionStrategy } from './schema-sync/conversion-strategy';
export type { ListOptions, ListResult } from './records/list-query';
export type { RecordData } from './records/representation';
export type { GetOptions, WriteOptions } from './records/record-service';
export type { User, UserInput } from './users/user-service';
export { AuthService, DEFAULT_SESSION_LIFETIME_MS } from './auth/auth-service';
export type {
  AuthServiceOptions,
  SignInMeta,
  SignInResult,
  SessionInfo,
  TokenInfo,
  SignedInUser,
  ApiTokenSummary,
  CreatedApiToken,
  BootstrapAdminOptions,
  BootstrapAdminResult,
} from './auth/auth-service';
export { MIN_PASSWORD_LENGTH } from './auth/passwords';
export { secretsEqual } from './auth/secrets';
export type { Database, DatabaseOptions } from './db/open-database';
export { DEFAULT_PGLITE_SHARED_BUFFERS } from './db/open-database';
export { installTemplate, mayInstallTemplates, type TemplatePackage, type InstallOptions, type InstallReport } from './templates/install-template';
/** JSON Schemas of the metadata documents (for OpenAPI and clients that validate before sending). */
export { fieldSchema, layoutSchema, objectSchema, viewSchema } from './metadata/schemas';
export { i18nTextSchema } from './metadata/i18n';
export { MAX_BULK_ROWS } from './records/bulk';
export { MAX_IMPORT_ROWS, type ImportFormat, type ImportRequest, type ImportResult, type ImportRowResult } from './records/import';
export { DEFAULT_LIMIT, MAX_LIMIT } from './records/list-query';
export { MAX_GROUPS, type GroupOptions, type GroupTotal } from './records/group-totals';
export { MAX_EDITABILITY_IDS, type RecordEditability } from './records/editability';
export { GLOBAL_SEARCH_DEFAULT_LIMIT, GLOBAL_SEARCH_MAX_LIMIT, GLOBAL_SEARCH_MAX_TEXT, type GlobalSearchOptions, type ObjectHits, type SearchHit } from './records/global-search';
export type { RoleDefinition, ObjectPermission, DataScope, FieldAccessMode } from './metadata/types';
export { DATA_SCOPES } from './metadata/types';
export type { ActorAccess, ObjectAccess } from './security/actor-access';
export type { ClientMetadataAnswer, ClientMetadataOptions } from './projection/client-projection-service';
export type * from './projection/client-projection-types';
export { BOUND_OWNERS } from './security/record-predicates';
export { OPERATIONS, type Operation, type TokenScopes } from './security/permissions';
export { AUDIT_EVENTS, AUDIT_KINDS, METADATA_AUDIT_EVENTS, type AuditEvent, type AuditQuery, type AuditRecord } from './audit/audit-log';
export type { Department } from './security/department-service';
export { SAVED_VIEW_LIMITS, type DroppedPart, type SavedView, type SavedViewDefinition, type SavedViewInput, type SavedViewPatch } from './views/personal/saved-view-types';
export { savedViewDefinitionSchema } from './views/personal/saved-view-schema';
export type { RecordShare, RecordShareList, ShareInput } from './shares/share-service';
export type { ExportOptions, RecordServiceOptions } from './records/record-service';
export type { ExportFormat } from './records/export';
export { roleSchema } from './metadata/schemas';
export { validationRuleSchema } from './metadata/schemas';
export type { ValidationRuleService } from './validation-rules/validation-rule-service';
export type { IssueCode, DefinedMessage } from './errors';
export { ADMINISTRATOR_ROLE_ID } from '@crm/migrations';
export type { ApprovalService, InboxEntry } from './approvals/approval-service';
export type { ApprovalProcessService } from './approvals/process-service';
export type { ApprovalRequestView, ApprovalStepView, ApprovalActionView } from './approvals/request-views';
export { MAX_APPROVAL_STATE_IDS, type ApprovalState } from './approvals/approval-states';
export type { ApprovalSummary, RequestHeading } from './approvals/request-lists';
export type { ApprovalProcessDefinition, ApprovalStepDefinition, ApproverSpec } from './approvals/types';
export type { FieldAssignments } from './assignments';
export { approvalProcessSchema } from './approvals/process-schema';
export { MAX_WORKFLOW_DEPTH, workflowSchema } from './workflows';
export type { WorkflowService, WorkflowRunLog, WorkflowRun, WorkflowRunQuery } from './workflows';
export type { WorkflowDefinition, WorkflowTrigger, WorkflowAction, RecordTrigger, DateTrigger, ScheduleTrigger, Assignee, Recipient } from './workflows/types';
export type { NotificationService, Notification, NotificationQuery } from './notifications/notification-service';
export type { WithinTransaction, RecordWriteEvent, RecordEvent } from './records/write-hooks';
export {
  JOB_STATES,
  retryDelayMs,
  type EnqueuedJob,
  type Job,
  type JobConnection,
  type JobHandler,
  type JobInput,
  type JobQuery,
  type JobQueue,
  type JobQueueOptions,
  type JobState,
  type QueueSettings,
  type RunningJob,
  type TaskOptions,
} from './jobs';
export {
  renderTemplate,
  templateProblem,
  signWebhookBody,
  verifyWebhookSignature,
  WEBHOOK_TASK,
  EMAIL_TASK,
  SIGNATURE_HEADER,
  DELIVERY_HEADER,
  type DeliveryOptions,
  type EmailPayload,
  type MailOptions,
  type WebhookOptions,
  type WebhookPayload,
} from './delivery';
