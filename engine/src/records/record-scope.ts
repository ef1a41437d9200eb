import type { QueryExecutorProvider } from 'kysely';
import { actorUserId, assertActor, type Actor } from '../actors';
import { CrmError } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import type { AccessResolver } from '../security/access-resolver';
import type { ActorAccess, ObjectAccess } from '../security/actor-access';
import { recordPredicate, recordPredicateById, recordVisibility } from '../security/record-predicates';
import { approvalLockApplies, lockRefusalFor } from './approval-lock';
import { nameFieldsByLabel } from './field-labels';
import type { ListAccess } from './list-query';
import { visibleSelection } from './list-query';
import { outputRecord, type RecordData } from './representation';
import { selectGuardedRow, type Row } from './statements';
import type { RowGuard } from './write-update';
import { translateWriteError } from './write-errors';
import type { WithinTransaction } from './write-hooks';

/**
 * A caller's access to one object, for services that build on records (shares, approvals): what
 * they may do, and the one way to find a record as they may reach it.
 */
export interface RecordAccess {
  readonly metadata: CompiledMetadata;
  readonly object: CompiledObject;
  readonly actor: ActorAccess;
  readonly access: ObjectAccess;
  readonly context: RuleContext;
  /**
   * A record as this caller may see it (their read scope), with whether they may edit it;
   * undefined when it does not exist or they cannot see it (the two look alike on purpose).
   */
  reach(db: QueryExecutorProvider, id: string, options?: ReachOptions): Promise<{ row: Row; editable: boolean } | undefined>;
}

export interface ReachOptions {
  /** Columns to return (default: all of the object's). */
  readonly columns?: readonly string[];
  /** Also find it in the recycle bin. */
  readonly includeDeleted?: boolean;
  /** Lock the row for the rest of the transaction. */
  readonly lock?: boolean;
}

/** One call's view of an object inside the records folder: RecordAccess and the workflow depth of the write. */
export interface CallScope extends RecordAccess {
  /** Workflow depth of the write (0: from outside). */
  readonly depth: number;
}

/** The actor's compiled metadata, access and rule context for one call on one object. */
export async function resolveScope(
  cache: MetadataCache,
  resolver: AccessResolver,
  actor: Actor,
  objectName: string,
  within?: Omit<WithinTransaction, 'transaction'>,
): Promise<CallScope> {
  assertActor(actor);
  const metadata = within?.metadata ?? (await cache.withObject(objectName));
  const object = metadata.object(objectName);
  const access = await resolver.forActor(actor, metadata);
  if (!access.subject.active) throw new CrmError('actor_invalid');
  return new Scope(
    metadata,
    object,
    access,
    access.object(objectName),
    { user: within?.onBehalfOf ?? { id: actorUserId(actor), departmentId: access.subject.departmentId, roles: access.subject.roleNames }, now: new Date() },
    within?.workflowDepth ?? 0,
  );
}

/** A class rather than an object literal with a closure: one is made for every record call. */
class Scope implements CallScope {
  constructor(
    readonly metadata: CompiledMetadata,
    readonly object: CompiledObject,
    readonly actor: ActorAccess,
    readonly access: ObjectAccess,
    readonly context: RuleContext,
    readonly depth: number,
  ) {}

  async reach(db: QueryExecutorProvider, id: string, options: ReachOptions = {}): Promise<{ row: Row; editable: boolean } | undefined> {
    const found = await selectGuardedRow(db, this.object, id, options.columns ?? this.object.columns, rowGuard(this), options.includeDeleted === true, options.lock === true);
    if (!found) return undefined;
    const { __editable: editable, ...row } = found;
    return { row, editable: editable === true };
  }
}

/**
 * The read and edit predicates of the actor on a row they name by id, and whether approvals lock
 * it. Read includes the approval grant, so a write an approver tries on the record they review
 * is refused as not editable (403), not as invisible.
 */
export function rowGuard(scope: RecordAccess): RowGuard {
  const read = recordPredicateById(scope.actor, scope.object.name);
  const edit = recordPredicate(scope.actor, scope.object.name, 'edit');
  return { ...(read ? { read } : {}), ...(edit ? { edit } : {}), ...(approvalLockApplies(scope.actor, scope.object) ? { refuseAwaitingApproval: lockRefusalFor(scope.object, scope.access.hidden) } : {}) };
}

export function listAccess(scope: RecordAccess): ListAccess {
  return { hidden: scope.access.hidden, visibility: (bind) => recordVisibility(scope.actor, scope.object.name, 'read', bind ? { bind } : {}) };
}

/** A stored row as the caller reads it: without the fields hidden from them. */
export function outputFor(scope: RecordAccess, row: Row): RecordData {
  return outputRecord(scope.object, row, scope.context, visibleSelection(scope.object, undefined, scope.access.hidden));
}

/** A failed write's error as the caller reads it: a catalogue error, its fields named by the labels the caller may see. */
export function namedError(scope: RecordAccess, error: unknown): unknown {
  return nameFieldsByLabel(translateWriteError(error, scope.object), scope.object, scope.access.hidden);
}
