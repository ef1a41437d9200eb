import type { Transaction } from 'kysely';
import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import type { Rider, Row } from './statements';

/**
 * What the write pipeline calls after a record is written, inside the write's transaction: the
 * workflows (engine/src/workflows). Records know only this interface, so the dependency points
 * one way. An object whose compiled metadata has no work for an event (`activeWorkflows.events`)
 * is never handed to the hooks: its writes keep their single-statement forms.
 */
export type RecordEvent = 'created' | 'updated' | 'deleted' | 'restored';

export interface RecordWriteEvent {
  readonly event: RecordEvent;
  readonly metadata: CompiledMetadata;
  readonly object: CompiledObject;
  /** The stored row before the write (undefined on create). */
  readonly before: Row | undefined;
  /** The stored row after it. */
  readonly after: Row;
  /** Fields the write changed (updates). */
  readonly changed?: ReadonlySet<string>;
  /** Who wrote it (`$user` of the rules, the run log's actor). */
  readonly context: RuleContext;
  /** How many workflow levels deep the write is: 0 for a write from outside. */
  readonly depth: number;
}

/** What the workflows make of a record about to be created. */
export type CreateDecision =
  /** Nothing fires: the create keeps its single statement. */
  | { readonly kind: 'none' }
  /** Workflows fire (or may): they run after the insert, in its transaction (afterWrite). */
  | { readonly kind: 'after_write' }
  /**
   * Everything the firing workflows would do was worked out before the insert, with the same
   * result as running them after it: insert `row` (their field updates applied, its version
   * counting them) with `riders` (their run log, notifications) in the same statement; afterWrite
   * is not called.
   */
  | { readonly kind: 'planned'; readonly row: Row; readonly riders: readonly Rider[] };

export interface RecordWriteHooks {
  /**
   * Runs in the write's transaction after the row (and its rollups, cascades, history) is
   * written; throwing rolls the whole write back. Resolves to the record as it is now when it
   * was written again meanwhile (or `true` when the caller must read it again), else false.
   */
  afterWrite(trx: Transaction<unknown>, event: RecordWriteEvent): Promise<Row | boolean>;
  /**
   * Before a create, judged on the prepared row: whether any workflow fires, and whether all
   * they would do could be worked out now (see CreateDecision). `after_write` is always safe.
   */
  beforeCreate(metadata: CompiledMetadata, object: CompiledObject, prepared: Row, context: RuleContext, depth: number): CreateDecision;
  /** The outermost write failed and its transaction rolled back: keep what must outlive it (failed runs' logs). */
  afterRollback(error: unknown): Promise<void>;
}

/**
 * A write inside someone else's transaction (a workflow action; an approval decision's field
 * updates): it opens no transaction of its own, and queries nothing outside the caller's.
 */
export interface WithinTransaction {
  readonly transaction: Transaction<unknown>;
  /** The metadata of the outer write (on PGlite nothing inside a transaction may query outside it). */
  readonly metadata?: CompiledMetadata;
  /** Whose write it is on the record: stamped as created_by / updated_by, and `$user` of the rules (default: the actor). */
  readonly onBehalfOf?: RuleContext['user'];
  /** How many workflow levels deep this write is. */
  readonly workflowDepth?: number;
  /** An update of this record may take this row as current: the caller's transaction wrote and locked it last. */
  readonly current?: Row;
  /** Told the stored row after the write (and its own workflows), so the caller need not read it again. */
  readonly onStored?: (row: Row) => void;
}
