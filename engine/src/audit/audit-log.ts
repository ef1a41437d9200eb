import { sql, type Kysely } from 'kysely';
import { assertActor, actorUserId, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, reason, validationError } from '../errors';
import type { GraphIssue } from '../metadata/validate-graph';
import { compileSchema } from '../metadata/ajv';
import { decodeCursor, encodeCursor } from '../records/cursor';
import {
  AUDIT_EVENTS,
  AUDIT_KINDS,
  METADATA_AUDIT_EVENTS,
  METADATA_AUDIT_EVENTS_BY_KIND,
  METADATA_KINDS,
  type AuditEvent,
  type MetadataKind,
} from '../db/audit-entries';

// The entries' catalogue and writer live in db/audit-entries.ts (below metadata/, which records its changes).
export * from '../db/audit-entries';

export interface AuditRecord {
  readonly id: number;
  readonly at: string;
  readonly actor_id: string | null;
  readonly event: string;
  readonly subject: string | null;
  readonly details: unknown;
  readonly ip: string | null;
}

export interface AuditQuery {
  readonly event?: string;
  readonly actor_id?: string;
  readonly subject?: string;
  /** `metadata` (every metadata change) or one kind of metadata document (`field`, `role`...). */
  readonly kind?: string;
  /** ISO timestamps, inclusive / exclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  /** The `next_cursor` of the previous page. */
  readonly cursor?: string;
}

const AUDIT_CURSOR_SCOPE = 'audit:-id';
// ISO 8601 that PostgreSQL reads as a timestamptz (Date.parse takes far more: "1", "March 7, 2024"):
// the format checks the calendar, the pattern what AJV allows beyond PostgreSQL (year 0000, offsets past 15:59).
const isDateTime = compileSchema({ type: 'string', format: 'date-time', pattern: '^(?!0000)\\d{4}-.*([Zz]|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)$' });

/** Reading the audit log: administrators only, newest first, filterable, keyset-paged. */
export class AuditService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly isAdmin: (actor: Actor) => Promise<boolean>,
  ) {}

  async list(actor: Actor, query: AuditQuery = {}): Promise<{ data: AuditRecord[]; next_cursor: string | null }> {
    assertActor(actor);
    if (!(await this.isAdmin(actor))) throw new CrmError('forbidden', { action: 'read', subject: reason('subject_audit_log') });
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw validationError([{ path: 'limit', code: 'invalid', params: { reason: reason('must_be_range', { min: 1, max: 500 }) } }]);
    if (query.event !== undefined && !(AUDIT_EVENTS as readonly string[]).includes(query.event)) {
      throw validationError([{ path: 'event', code: 'invalid', params: { reason: reason('must_be_one_of', { values: AUDIT_EVENTS }) } }]);
    }
    const kindEvents = query.kind === undefined ? undefined : eventsOfKind(query.kind);
    for (const key of ['from', 'to'] as const) {
      if (query[key] !== undefined && !isDateTime(query[key])) throw validationError([{ path: key, code: 'format', params: { format: 'date-time' } }]);
    }
    if (query.actor_id !== undefined && !/^[0-9a-f-]{36}$/i.test(query.actor_id)) throw validationError([{ path: 'actor_id', code: 'type', params: { expected: 'a user id' } }]);
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, AUDIT_CURSOR_SCOPE, ['bigint'])[0];
    const rows = await sql<AuditRecord>`
      select id::int as id, at, actor_id, event, subject, details, ip from crm_meta.audit_log
      where true
        ${query.event ? sql`and event = ${query.event}` : sql``}
        ${query.actor_id ? sql`and actor_id = ${query.actor_id}::uuid` : sql``}
        ${query.subject ? sql`and subject = ${query.subject}` : sql``}
        ${kindEvents ? sql`and event in (${sql.join(kindEvents)})` : sql``}
        ${query.from ? sql`and at >= ${query.from}::timestamptz` : sql``}
        ${query.to ? sql`and at < ${query.to}::timestamptz` : sql``}
        ${before !== undefined ? sql`and id < ${before}` : sql``}
      order by id desc limit ${limit + 1}`.execute(this.db);
    const page = rows.rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page, next_cursor: rows.rows.length > limit && last ? encodeCursor(AUDIT_CURSOR_SCOPE, [last.id]) : null };
  }
}

function eventsOfKind(kind: string): readonly AuditEvent[] {
  if (kind === 'metadata') return METADATA_AUDIT_EVENTS;
  if (!(METADATA_KINDS as readonly string[]).includes(kind)) {
    throw validationError([{ path: 'kind', code: 'invalid', params: { reason: reason('must_be_one_of', { values: AUDIT_KINDS }) } }]);
  }
  return METADATA_AUDIT_EVENTS_BY_KIND[kind as MetadataKind];
}

export function auditActorId(actor: Actor): string {
  return actorUserId(actor);
}
