import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import { actorUserId, type Actor } from '../actors';
import type { Database } from '../db/open-database';
import { crmErrorOf } from '../db/pg-errors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, isCrmError, type FieldIssue } from '../errors';
import { whenRolledBack } from '../db/atomic-unit';
import { recordAudit } from '../db/audit-entries';
import { metadataChangeEntry, type AuditedDocument } from './change-audit';
import { REVISION_CHANNEL, type MetadataCache } from './cache';
import { compileSnapshotFields, snapshotFieldsOf, type CompiledMetadata } from './compile';
import { dependencyError } from './dependencies';
import { SchemaSession, type SchemaOperation } from './schema-session';
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
  /**
   * Schema changes, run after the new metadata has been validated. Every statement goes through
   * `schema`, which records it as an operation of the change's plan (and skips what a dry run must not run).
   */
  readonly ddl?: (after: MetadataSnapshot, schema: SchemaSession) => Promise<void>;
  /** The document changed, for the change's audit entry (its state before and after the change). */
  readonly audited: AuditedDocument;
}

export type Revisioned<T> = T & { readonly revision: number };

/** What a metadata change would do, answered by a dry run instead of doing it. */
export interface ChangeReport {
  /** Whether the change would be made; if not, `error` is what it would answer. */
  readonly valid: boolean;
  readonly error?: CrmError;
  /** What it does to the database, in order (up to the refusal, for a change refused by the data). */
  readonly operations: readonly SchemaOperation[];
  /** The revision the change was planned against (absent when it was refused before reading the metadata). */
  readonly revision?: number;
}

/** Thrown out of the change's transaction to roll it back, carrying the report to the dry run's caller. */
class DryRunComplete extends Error {
  constructor(readonly report: ChangeReport) {
    super('dry run complete');
  }
}

const dryRuns = new AsyncLocalStorage<true>();

/**
 * Runs `change` (any metadata service call) as a dry run: the change is made inside its
 * transaction up to its schema operations, then rolled back; nothing is written, no revision
 * is spent. Refusals (bad documents, graph issues, data that cannot convert) become the
 * report's verdict; who may not make the change still gets the error itself.
 */
export async function planChange(change: () => Promise<unknown>): Promise<ChangeReport> {
  try {
    await dryRuns.run(true, change);
  } catch (error) {
    if (error instanceof DryRunComplete) return error.report;
    if (isCrmError(error) && error.status !== 401 && error.status !== 403) return { valid: false, error, operations: [] };
    throw error;
  }
  throw new Error('planChange: the call made no metadata change');
}

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
    const dryRun = dryRuns.getStore() === true;
    let compiled: CompiledMetadata | undefined;
    try {
      const outcome = await this.database.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${METADATA_LOCK_KEY})`.execute(trx);
        // DDL waits for locks on busy tables; give up quickly instead of queueing every request behind it.
        await sql`set local lock_timeout = '5s'`.execute(trx);
        const kinds = this.cache.kinds;
        const before = await loadSnapshot(trx, kinds);
        const schema = new SchemaSession(trx, dryRun);
        const report = (valid: boolean, error?: CrmError) => new DryRunComplete({ valid, ...(error ? { error } : {}), operations: schema.operations, revision: before.revision });
        try {
          const plan = await work({ trx, before, actor, kinds });
          const after = await loadSnapshot(trx, kinds);
          // Compiled once: the whole-graph check reads these fields and the new revision is built on them.
          const fields = compileSnapshotFields(after);
          const issues = newIssues(validateGraph(after, kinds, fields), before, kinds, this.cache.compiledAt(before.revision));
          if (issues.length > 0) throw issuesToError(issues, subject, { before, after }, kinds);
          await plan.ddl?.(after, schema);
          if (dryRun) throw report(true);
          const revision = await bumpRevision(trx, actor, subject);
          await recordAudit(trx, metadataChangeEntry(actor, { kind: subject.kind, action: subject.action, document: plan.audited, revision }, before, after, kinds));
          compiled = this.cache.compile({ ...after, revision }, fields);
          await sql`select pg_notify(${REVISION_CHANNEL}, ${String(revision)})`.execute(trx);
          return { ...plan.result, revision };
        } catch (error) {
          if (!dryRun || error instanceof DryRunComplete) throw error;
          const refusal = translateChangeError(error);
          if (isCrmError(refusal)) throw report(false, refusal);
          throw error;
        }
      });
      if (compiled) {
        this.cache.install(compiled);
        whenRolledBack(this, () => this.#forgetRevisionsUpTo(outcome.revision));
      }
      return outcome;
    } catch (error) {
      throw translateChangeError(error);
    }
  }

  /**
   * After an atomic unit of changes rolled back: the revision numbers it used up to `highest` are
   * never handed out again, since what is cached by revision (this process's compiled metadata,
   * access, OpenAPI documents; clients' ETags) may hold the metadata they stood for. The stored
   * revision jumps past them, and every process reloads.
   */
  async #forgetRevisionsUpTo(highest: number): Promise<void> {
    const next = highest + 1;
    this.cache.discard();
    await this.database.db.transaction().execute(async (trx) => {
      await sql`update crm_meta.state set revision = greatest(revision, ${next}) where id = 1`.execute(trx);
      await sql`select pg_notify(${REVISION_CHANNEL}, ${String(next)})`.execute(trx);
    });
    this.cache.notify(next);
  }
}

/**
 * The issues a change brings. A check added in a newer version can find problems in metadata that
 * was saved before it existed; those stay the analyst's to fix and must not block every later
 * change (a new field, a new view) that has nothing to do with them. Only a failing change pays
 * for checking the metadata before it, on the fields this process compiled for that revision when it has them.
 */
function newIssues(issues: readonly GraphIssue[], before: MetadataSnapshot, kinds: DocumentKinds, compiledBefore: CompiledMetadata | undefined): GraphIssue[] {
  if (issues.length === 0) return [];
  const key = (i: GraphIssue) => JSON.stringify([i.kind, i.object, i.name, i.path, i.reason]);
  const existing = new Set(validateGraph(before, kinds, compiledBefore ? snapshotFieldsOf(compiledBefore) : undefined).map(key));
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
  if (error instanceof DryRunComplete) return error;
  return crmErrorOf(error);
}
