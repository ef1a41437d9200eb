import type { ColumnType, Generated } from 'kysely';

/** Static types for the crm_meta system tables. User objects are not typed here: they go through checked identifiers. */
type Timestamp = ColumnType<string, string | undefined, string>;

export interface UsersTable {
  id: string;
  name: string;
  email: string | null;
  active: Generated<boolean>;
  department_id: ColumnType<string | null, string | null | undefined, string | null>;
  manager_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StateTable {
  id: Generated<number>;
  revision: number;
}

export interface RevisionsTable {
  revision: number;
  actor_id: string;
  action: string;
  subject: string;
  created_at: Timestamp;
}

export interface ObjectsTable {
  id: string;
  name: string;
  table_name: string;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FieldsTable {
  id: string;
  object_id: string;
  name: string;
  type: string;
  position: number;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ElementsTable {
  id: string;
  object_id: string;
  name: string;
  type: string;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Validation rules (migration 0006): the rule document; `active` and the rest live in it. */
export interface ValidationRulesTable {
  id: string;
  object_id: string;
  name: string;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Approval processes (migration 0008): one document per process, per object. */
export interface ApprovalProcessesTable {
  id: string;
  object_id: string;
  name: string;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Approval runtime (migration 0008): requests, their steps, one task per approver, the history. */
export interface ApprovalRequestsTable {
  id: string;
  object_id: string;
  record_id: string;
  process_id: string | null;
  process_name: string;
  definition: ColumnType<unknown, string, never>;
  status: 'pending' | 'approved' | 'rejected' | 'recalled';
  current_step: number | null;
  submitted_by: string;
  submit_comment: string | null;
  submitted_at: Timestamp;
  decided_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApprovalStepsTable {
  id: string;
  request_id: string;
  position: number;
  name: string;
  mode: 'any' | 'all';
  status: 'pending' | 'approved' | 'rejected' | 'skipped' | 'cancelled';
  started_at: Timestamp;
  decided_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApprovalTasksTable {
  id: string;
  request_id: string;
  step_id: string;
  approver_id: string;
  status: 'pending' | 'approved' | 'rejected' | 'reassigned' | 'cancelled';
  comment: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  decided_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApprovalHistoryTable {
  id: Generated<number>;
  request_id: string;
  step_position: number | null;
  action: 'submitted' | 'approved' | 'rejected' | 'recalled' | 'reassigned' | 'skipped';
  actor_id: string;
  to_user_id: string | null;
  comment: string | null;
  at: Timestamp;
}

export interface AutonumberCountersTable {
  field_id: string;
  last_value: number;
}

/** Authentication tables (migration 0003_auth). Secrets are stored only as hashes. */
export interface CredentialsTable {
  user_id: string;
  password_hash: string;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: string;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  expires_at: string | null;
  revoked_at: ColumnType<string | null, string | null | undefined, string | null>;
  last_used_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Per-object operations this token may use (null: everything its user may). */
  scopes: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DepartmentsTable {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RolesTable {
  id: string;
  name: string;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserRolesTable {
  user_id: string;
  role_id: string;
}

export interface RecordSharesTable {
  id: string;
  object_id: string;
  record_id: string;
  user_id: string | null;
  department_id: string | null;
  access: 'read' | 'edit';
  granted_by: string;
  created_at: Timestamp;
}

export interface FieldHistoryTable {
  id: Generated<number>;
  object_id: string;
  record_id: string;
  field: string;
  old_value: ColumnType<unknown, string | null, never>;
  new_value: ColumnType<unknown, string | null, never>;
  actor_id: string;
  changed_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: string | null;
  event: string;
  subject: string | null;
  details: ColumnType<unknown, string | undefined, never>;
  ip: string | null;
}

/** Workflows (migration 0010): one document per workflow, per object. */
export interface WorkflowsTable {
  id: string;
  object_id: string;
  name: string;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One row per workflow run that fired (migration 0010). */
export interface WorkflowRunsTable {
  id: string;
  workflow_id: string | null;
  object_id: string;
  workflow: string;
  record_id: string | null;
  trigger: 'created' | 'updated' | 'deleted' | 'restored' | 'date' | 'schedule';
  actor_id: string;
  depth: number;
  conditions: ColumnType<unknown, string, never>;
  actions: ColumnType<unknown, string, never>;
  outcome: 'completed' | 'failed';
  error: ColumnType<unknown, string | null, never>;
  started_at: string;
  finished_at: Timestamp;
}

/** A planned date-relative run of a workflow for a record (migration 0010). */
export interface WorkflowSchedulesTable {
  workflow_id: string;
  record_id: string;
  due_at: string;
  generation: number;
}

/** Round-robin positions of owner assignment (migration 0010). */
export interface WorkflowCountersTable {
  workflow_id: string;
  action: string;
  position: ColumnType<string | number, number | undefined, number>;
}

/** In-app notifications (migration 0010). */
export interface NotificationsTable {
  id: string;
  user_id: string;
  title: string;
  body: string | null;
  object: string | null;
  record_id: string | null;
  workflow: string | null;
  created_at: Timestamp;
  read_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Title and body in other languages than English, by locale (migration 0016). */
  translations: ColumnType<Readonly<Record<string, { title: string; body: string | null }>> | null, string | null | undefined, string | null>;
}

/** Personal saved views of lists (migration 0015). */
export interface SavedViewsTable {
  id: string;
  owner_id: string;
  object_id: string;
  name: string;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SystemDatabase {
  'crm_meta.users': UsersTable;
  'crm_meta.state': StateTable;
  'crm_meta.revisions': RevisionsTable;
  'crm_meta.objects': ObjectsTable;
  'crm_meta.fields': FieldsTable;
  'crm_meta.layouts': ElementsTable;
  'crm_meta.views': ElementsTable;
  'crm_meta.validation_rules': ValidationRulesTable;
  'crm_meta.autonumber_counters': AutonumberCountersTable;
  'crm_meta.approval_processes': ApprovalProcessesTable;
  'crm_meta.approval_requests': ApprovalRequestsTable;
  'crm_meta.approval_steps': ApprovalStepsTable;
  'crm_meta.approval_tasks': ApprovalTasksTable;
  'crm_meta.approval_history': ApprovalHistoryTable;
  'crm_meta.credentials': CredentialsTable;
  'crm_meta.sessions': SessionsTable;
  'crm_meta.api_tokens': ApiTokensTable;
  'crm_meta.departments': DepartmentsTable;
  'crm_meta.roles': RolesTable;
  'crm_meta.user_roles': UserRolesTable;
  'crm_meta.record_shares': RecordSharesTable;
  'crm_meta.field_history': FieldHistoryTable;
  'crm_meta.audit_log': AuditLogTable;
  'crm_meta.workflows': WorkflowsTable;
  'crm_meta.workflow_runs': WorkflowRunsTable;
  'crm_meta.workflow_schedules': WorkflowSchedulesTable;
  'crm_meta.workflow_counters': WorkflowCountersTable;
  'crm_meta.notifications': NotificationsTable;
  'crm_meta.saved_views': SavedViewsTable;
}
