import { sql, type QueryExecutorProvider } from 'kysely';

/**
 * The audit log's entries: which events exist and how one is written. Below metadata/ and the
 * services that record events (records, users, auth, workflows, approvals); reading the log is
 * audit/audit-log.ts's AuditService.
 */

/** Security events, kept in an append-only table (a trigger refuses updates and deletes). */
const SECURITY_EVENTS = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'token_created',
  'token_revoked',
  'password_changed',
  'ownership_transferred',
  'share_granted',
  'share_revoked',
  'export',
  'import',
  'approval_submitted',
  'approval_approved',
  'approval_rejected',
  'approval_recalled',
  'approval_reassigned',
] as const;

/**
 * Changes of metadata documents, `<kind>_<action in the past tense>`, each with the document before
 * and after (change-audit.ts). Users are never deleted (deactivated instead); only objects come
 * back from the recycle bin.
 */
export const METADATA_AUDIT_EVENTS_BY_KIND = {
  object: ['object_created', 'object_changed', 'object_deleted', 'object_restored'],
  field: ['field_created', 'field_changed', 'field_deleted'],
  layout: ['layout_created', 'layout_changed', 'layout_deleted'],
  view: ['view_created', 'view_changed', 'view_deleted'],
  validation_rule: ['validation_rule_created', 'validation_rule_changed', 'validation_rule_deleted'],
  workflow: ['workflow_created', 'workflow_changed', 'workflow_deleted'],
  approval_process: ['approval_process_created', 'approval_process_changed', 'approval_process_deleted'],
  role: ['role_created', 'role_changed', 'role_deleted'],
  department: ['department_created', 'department_changed', 'department_deleted'],
  user: ['user_created', 'user_changed'],
} as const;
export type MetadataKind = keyof typeof METADATA_AUDIT_EVENTS_BY_KIND;
export type MetadataAuditEvent = (typeof METADATA_AUDIT_EVENTS_BY_KIND)[MetadataKind][number];
export const METADATA_KINDS = Object.keys(METADATA_AUDIT_EVENTS_BY_KIND) as MetadataKind[];
export const METADATA_AUDIT_EVENTS: readonly MetadataAuditEvent[] = Object.values(METADATA_AUDIT_EVENTS_BY_KIND).flat();

export const AUDIT_EVENTS: readonly AuditEvent[] = [...SECURITY_EVENTS, ...METADATA_AUDIT_EVENTS];
export type AuditEvent = (typeof SECURITY_EVENTS)[number] | MetadataAuditEvent;

/** The `kind` filter of the log: every metadata change, or the changes of one kind of document. */
export const AUDIT_KINDS = ['metadata', ...METADATA_KINDS] as const;

export interface AuditEntry {
  readonly actorId: string | null;
  readonly event: AuditEvent;
  readonly subject?: string;
  readonly details?: Record<string, unknown>;
  readonly ip?: string | null;
}

/** Writes an entry; pass the write's transaction so the entry commits (or not) with what it records. */
export async function recordAudit(db: QueryExecutorProvider, entry: AuditEntry): Promise<void> {
  await sql`
    insert into crm_meta.audit_log (actor_id, event, subject, details, ip)
    values (${entry.actorId}::uuid, ${entry.event}, ${entry.subject ?? null}, ${JSON.stringify(entry.details ?? {})}::jsonb, ${entry.ip ?? null})`.execute(db);
}

