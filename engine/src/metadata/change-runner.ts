import { sql, type Kysely, type Transaction } from 'kysely';
import { actorUserId, type Actor } from '../actors';
import type { Database } from '../db/open-database';
import { asPgError, PG } from '../db/pg-errors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, isCrmError, type FieldIssue } from '../errors';
import { recordAudit } from '../db/audit-entries';
import { metadataChangeEntry, type AuditedDocument } from './change-audit';
import { REVISION_CHANNEL, type MetadataCache } from './cache';
import { CompiledMetadata } from './compile';
import { dependencyError } from './dependencies';
import type { DocumentKinds } from './document-kind';
import { loadSnapshot, type MetadataSnapshot } from './snapshot';
import { validateGraph, type GraphIssue } from './validate-graph';

// One key for all metadata changes: they serialise, so each sees the one before it.
const METADATA_LOCK_KEY = 0x43524d4d;

/** The document a change is about, so issues inside it are reported relative to it. */
export interface ChangeSubject {
  readonly object: string;
  readonly kind: GraphIssue['kind'];
  readonly name: string;
  readonly action: 'create' | 'change' | 'delete' | 'restore';
}

export interface ChangeContext {
  readonly trx: Transaction<SystemDatabase>;
  /** Metadata as it was when the change took the lock. */
  readonly before: MetadataSnapshot;
  readonly actor: Actor;
  /** The kinds of documents (for renames followed through every kind). */
  readonly kinds: DocumentKinds;
}

export interface ChangePlan<T> {
  readonly result: T;
  /** Schema changes, run after the new metadata has been validated. */
  readonly ddl?: (after: MetadataSnapshot) => Promise<void>;
  /** The document changed, for the change's audit entry (its state before and after the change). */
  readonly audited: AuditedDocument;
}

export type Revisioned<T> = T & { readonly revision: number };

/**
 * Runs one metadata change as one transaction: lock, write documents, validate the whole
 * resulting metadata, run the DDL, bump the revision, write the audit entry and notify other
 * processes. Any failure rolls all of it back (PostgreSQL DDL is transactional).
 */
export class MetadataChangeRunner {
  constructor(
    private readonly database: Database,
    private readonly cache: MetadataCache,
  ) {}

  async run<T extends object>(actor: Actor, subject: ChangeSubject, work: (context: ChangeContext) => Promise<ChangePlan<T>>): Promise<Revisioned<T>> {
    let compiled: CompiledMetadata | undefined;
    try {
      const outcome = await this.database.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${METADATA_LOCK_KEY})`.execute(trx);
        // DDL waits for locks on busy tables; give up quickly instead of queueing every request behind it.
        await sql`set local lock_timeout = '5s'`.execute(trx);
        const kinds = this.cache.kinds;
        const before = await loadSnapshot(trx, kinds);
        const plan = await work({ trx, before, actor, kinds });
        const after = await loadSnapshot(trx, kinds);
        const issues = newIssues(validateGraph(after, kinds), before, kinds);
        if (issues.length > 0) throw issuesToError(issues, subject, { before, after }, kinds);
        await plan.ddl?.(after);
        const revision = await bumpRevision(trx, actor, subject);
        await recordAudit(trx, metadataChangeEntry(actor, { kind: subject.kind, action: subject.action, document: plan.audited, revision }, before, after, kinds));
        compiled = new CompiledMetadata({ ...after, revision }, kinds);
        await sql`select pg_notify(${REVISION_CHANNEL}, ${String(revision)})`.execute(trx);
        return { ...plan.result, revision };
      });
      if (compiled) this.cache.install(compiled);
      return outcome;
    } catch (error) {
      throw translateChangeError(error);
    }
  }
}

/**
 * The issues a change brings. A check added in a newer version can find problems in metadata that
 * was saved before it existed; those stay the analyst's to fix and must not block every later
 * change (a new field, a new view) that has nothing to do with them. Only a failing change pays
 * for checking the metadata before it.
 */
function newIssues(issues: readonly GraphIssue[], before: MetadataSnapshot, kinds: DocumentKinds): GraphIssue[] {
  if (issues.length === 0) return [];
  const key = (i: GraphIssue) => JSON.stringify([i.kind, i.object, i.name, i.path, i.reason]);
  const existing = new Set(validateGraph(before, kinds).map(key));
  return issues.filter((i) => !existing.has(key(i)));
}

async function bumpRevision(trx: Kysely<SystemDatabase>, actor: Actor, subject: ChangeSubject): Promise<number> {
  const row = await trx
    .updateTable('crm_meta.state')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', 1)
    .returning('revision')
    .executeTakeFirstOrThrow();
  const revision = Number(row.revision);
  await trx
    .insertInto('crm_meta.revisions')
    .values({
      revision,
      actor_id: actorUserId(actor),
      action: `${subject.action} ${subject.kind}`,
      subject: subject.kind === 'object' ? subject.object : subject.object ? `${subject.object}.${subject.name}` : `${subject.kind}:${subject.name}`,
    })
    .execute();
  return revision;
}

/** The path segment of a kind of document (`views`, `approval_processes`): its kind's, or the kind's name plus s (objects, roles). */
function plural(kind: GraphIssue['kind'], kinds: DocumentKinds): string {
  return kinds.find(kind)?.plural ?? `${kind}s`;
}

function issuesToError(
  issues: readonly GraphIssue[],
  subject: ChangeSubject,
  snapshots: { before: MetadataSnapshot; after: MetadataSnapshot },
  kinds: DocumentKinds,
): CrmError {
  const issuePath = (issue: GraphIssue): string => {
    const base = issue.object ? `objects/${issue.object}/${plural(issue.kind, kinds)}/${issue.name}` : `${plural(issue.kind, kinds)}/${issue.name}`;
    return `${base}${issue.path ? `/${issue.path}` : ''}`;
  };
  // A new object's own fields are part of the document being created.
  const isOwn = (i: GraphIssue) =>
    subject.action !== 'delete' &&
    i.object === subject.object &&
    ((i.kind === subject.kind && i.name === subject.name) || (subject.kind === 'object' && subject.action === 'create'));
  const ownPath = (i: GraphIssue) => (i.kind === subject.kind ? i.path : `${plural(i.kind, kinds)}/${i.name}${i.path ? `/${i.path}` : ''}`);
  const own = issues.filter(isOwn);
  const others = issues.filter((i) => !isOwn(i));
  // Only other documents broke: the change is refused for them, each named with what it does with the subject.
  if (own.length === 0 && others.length > 0) return dependencyError(subject, others, snapshots, issuePath, kinds);
  const fields: FieldIssue[] = [
    ...own.map((i) => ({ path: ownPath(i), code: 'invalid' as const, params: { reason: i.reason } })),
    ...others.map((i) => ({ path: issuePath(i), code: 'invalid' as const, params: { reason: i.reason } })),
  ];
  return new CrmError('metadata_invalid', { kind: subject.kind }, fields);
}

function translateChangeError(error: unknown): unknown {
  if (isCrmError(error)) return error;
  const pg = asPgError(error);
  if (pg?.code === PG.lockNotAvailable) return new CrmError('lock_timeout', {}, [], { cause: error });
  return error;
}
