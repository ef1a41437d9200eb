import type { Actor } from './actors';
import { ApprovalService } from './approvals/approval-service';
import { ApprovalProcessService } from './approvals/process-service';
import { AuthService, type AuthServiceOptions } from './auth/auth-service';
import { ClientModules, type ClientModule } from './client/client-modules';
import { AccessResolver } from './security/access-resolver';
import type { ActorAccess } from './security/actor-access';
import { Administration } from './security/administration';
import { AuditService } from './audit/audit-log';
import { DepartmentService } from './security/department-service';
import { RoleService } from './security/role-service';
import { ShareService } from './shares/share-service';
import { openDatabase, type Database, type DatabaseOptions } from './db/open-database';
import { FieldService } from './fields/field-service';
import { createLayoutService } from './layouts/layout-service';
import { MetadataCache, REVISION_CHANNEL } from './metadata/cache';
import { MetadataChangeRunner, planChange, type ChangeReport } from './metadata/change-runner';
import type { CompiledMetadata } from './metadata/compile';
import type { Compilers } from './core/compilers';
import type { ElementService } from './elements/element-service';
import type { LayoutDefinition, ViewDefinition } from './metadata/types';
import { ObjectService } from './objects/object-service';
import { RecordService, type RecordServiceOptions } from './records/record-service';
import { UserService } from './users/user-service';
import { createViewService } from './views/view-service';
import { SavedViewService } from './views/personal/saved-view-service';
import { createJobQueue, type JobQueue, type QueueSettings } from './jobs';
import { missingDeliverySettings, registerDeliveryTasks, type DeliveryOptions } from './delivery';
import { ValidationRuleService } from './validation-rules/validation-rule-service';
import { DOCUMENT_KINDS } from './document-kinds';
import { setUpWorkflows } from './workflows';
import type { WorkflowRunLog, WorkflowRunnerOptions, WorkflowService } from './workflows';
import { NotificationService } from './notifications/notification-service';
import { ClientProjectionService, type ClientMetadataAnswer, type ClientMetadataOptions } from './projection/client-projection-service';

export type EngineOptions = DatabaseOptions & {
  /** Session lifetime, credential cache bounds (see AuthServiceOptions). */
  readonly auth?: AuthServiceOptions;
  /** Records (see RecordServiceOptions): the most rows one export may hold. */
  readonly records?: RecordServiceOptions;
  /** The job queue: back-off, attempts, concurrency, polling, where unawaited errors go. */
  readonly jobs?: QueueSettings;
  /** Webhook signing secret and timeout; SMTP settings for email. Without them, workflows that need them cannot be saved active. */
  readonly delivery?: DeliveryOptions;
  /** How create-triggered workflows run (see WorkflowRunnerOptions). */
  readonly workflows?: WorkflowRunnerOptions;
  /**
   * How the metadata compile turns rules and JSON Schemas into functions (the contract of
   * core/compilers.ts; the engine's own unless given). Whatever they compile is reused by content
   * across revisions, so a metadata change compiles only what it changed.
   */
  readonly compilers?: Compilers;
};

/** The engine's public API: metadata services, the record pipeline and users, over one database. */
export interface Engine {
  readonly database: Database;
  /** Background jobs (webhooks, email): enqueue inside a write's transaction; the server runs the worker. */
  readonly jobs: JobQueue;
  readonly objects: ObjectService;
  readonly fields: FieldService;
  readonly layouts: ElementService<LayoutDefinition>;
  readonly views: ElementService<ViewDefinition>;
  /** Personal saved views of lists: each user's own, per object they may read. */
  readonly savedViews: SavedViewService;
  /** Object-level validation rules (JSON-Logic every create and update must satisfy). */
  readonly validationRules: ValidationRuleService;
  readonly records: RecordService;
  /** Approval process documents per object (administrators only). */
  readonly approvalProcesses: ApprovalProcessService;
  /** Approvals at run time: submit, approve, reject, recall, reassign, inbox, history. */
  readonly approvals: ApprovalService;
  /** Workflow documents per object (administrators only); they run inside record writes and on schedules. */
  readonly workflows: WorkflowService;
  /** The log of workflow runs (administrators only). */
  readonly workflowRuns: WorkflowRunLog;
  /** In-app notifications: each user's own. */
  readonly notifications: NotificationService;
  readonly users: UserService;
  readonly roles: RoleService;
  readonly departments: DepartmentService;
  /** The audit log: security events and metadata changes (administrators only). */
  readonly audit: AuditService;
  /** Record shares with users and departments. */
  readonly shares: ShareService;
  /** What an actor may do at the current revision (for the server's per-user views, e.g. OpenAPI). */
  access(actor: Actor): Promise<ActorAccess>;
  /** Passwords, sessions and API tokens (who a request is); HTTP specifics stay in the server. */
  readonly auth: AuthService;
  /** Compiled metadata at the newest revision this process knows. */
  metadata(actor: Actor): Promise<CompiledMetadata>;
  /**
   * What a metadata change would do, without doing it: `change` is any call of a metadata service
   * (objects, fields, layouts, views, validation rules, workflows, approval processes, roles,
   * departments, users). Its schema operations and verdict come back; nothing is written.
   */
  planChange(change: () => Promise<unknown>): Promise<ChangeReport>;
  /** The metadata as the actor's UI may see it (GET /api/meta/client), with an entity tag by revision and access. */
  clientMetadata(actor: Actor, options?: ClientMetadataOptions): Promise<ClientMetadataAnswer>;
  /** The actor's rules and validators at the current revision as one ES module, for browsers that forbid eval. */
  clientModule(actor: Actor): Promise<ClientModule>;
  close(): Promise<void>;
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const database = await openDatabase(options);
  const cache = new MetadataCache(database.db, DOCUMENT_KINDS, options.compilers);
  const unlisten = await database.listen(REVISION_CHANNEL, (payload) => cache.notify(payload));
  await cache.current();
  const runner = new MetadataChangeRunner(database, cache);
  const auth = new AuthService(database, options.auth);
  await auth.start();
  const resolver = new AccessResolver(database.db);
  const administration = new Administration(cache, resolver);
  auth.useAdministration((actor) => administration.isAdmin(actor));
  const records = new RecordService(database.db, cache, resolver, options.records);
  const clientProjection = new ClientProjectionService(database.db, administration);
  const clientModules = new ClientModules((actor) => administration.access(actor));
  const jobs = await createJobQueue(database, (actor) => administration.isAdmin(actor), options.jobs);
  await registerDeliveryTasks(jobs, options.delivery);
  const approvals = new ApprovalService(database.db, cache, records, administration);
  const workflows = await setUpWorkflows({
    db: database.db,
    cache,
    runner,
    administration,
    records,
    jobs,
    approvals,
    missingDelivery: missingDeliverySettings(options.delivery),
    options: options.workflows,
  });
  return {
    database,
    objects: new ObjectService(runner, cache, administration),
    fields: new FieldService(runner, cache, administration),
    layouts: createLayoutService(runner, cache, administration),
    views: createViewService(runner, cache, administration),
    savedViews: new SavedViewService(database.db, administration),
    validationRules: new ValidationRuleService(runner, cache, administration),
    records,
    jobs,
    approvalProcesses: new ApprovalProcessService(runner, cache, administration),
    approvals,
    workflows: workflows.service,
    workflowRuns: workflows.runs,
    notifications: new NotificationService(database.db),
    shares: new ShareService(database.db, records),
    // Deactivating a user must stop their sessions and tokens in this process before update() returns.
    users: new UserService(database.db, runner, administration, { onActiveChanged: (userId) => auth.forgetUser(userId) }),
    roles: new RoleService(runner, administration),
    departments: new DepartmentService(runner, administration),
    audit: new AuditService(database.db, (actor) => administration.isAdmin(actor)),
    access: (actor) => administration.access(actor),
    auth,
    metadata: async () => cache.current(),
    planChange,
    clientMetadata: (actor, clientOptions) => clientProjection.forActor(actor, clientOptions),
    clientModule: (actor) => clientModules.forActor(actor),
    async close() {
      // Running jobs finish before the database closes under them.
      await jobs.stop().catch(() => {});
      await unlisten().catch(() => {});
      await auth.stop();
      await database.close();
    },
  };
}
