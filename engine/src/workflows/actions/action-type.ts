import type { FieldAssignments } from '../../assignments';
import type { MissingDeliverySettings } from '../../delivery';
import type { JsonSchema } from '../../metadata/json-schema';
import type { StoredObject } from '../../metadata/snapshot';
import type { WithinTransaction } from '../../records/write-hooks';
import type { JobQueue } from '../../jobs';
import type { Row } from '../../records/statements';
import type { RuleScope } from '../../rules/scope';
import type { ActionResult, ActionServices, RunScope } from '../actions';
import type { WorkflowCheckContext } from '../check-workflow';
import type { PendingDelivery } from '../deliveries';
import type { CreatePlanner } from '../plan-create';
import type { WorkflowAction, WorkflowActionType } from '../types';

/** The action of one type. */
export type ActionOf<T extends WorkflowActionType> = Extract<WorkflowAction, { type: T }>;

/**
 * A kind of workflow action as a plug-in (workflows/actions/<type>.ts), registered in
 * registry.ts: only the registry tells types apart, every other part of workflows/ asks it.
 */
export interface ActionType<T extends WorkflowActionType> {
  readonly type: T;
  /** The JSON Schema of the action (a branch of the workflow schema's `actions` items). */
  readonly schema: JsonSchema;
  /** What JSON Schema cannot check, against the whole metadata (run by the workflow kind's graph check). */
  check(action: ActionOf<T>, at: string, scope: RuleScope, context: WorkflowCheckContext): void;
  /** Runs the action in the run's transaction (actions.ts runAction gives the write contexts). */
  run(action: ActionOf<T>, context: ActionRunContext): Promise<ActionResult>;
  /**
   * Plans the action into a create's INSERT (plan-create.ts); absent when the action cannot be
   * planned, and the workflow then runs after the insert.
   */
  plan?(action: ActionOf<T>, index: number, planner: CreatePlanner): void;
  /** The action after a field of the workflow's own object was renamed. */
  renameField?(action: ActionOf<T>, rename: FieldRename): ActionOf<T>;
  /** The object whose fields the action's `values` name (their keys follow that object's renames). */
  writesTo?(action: ActionOf<T>, owner: StoredObject): string | undefined;
  /** The action after object `from` was renamed `to`. */
  renameObject?(action: ActionOf<T>, from: string, to: string): ActionOf<T>;
  /** Users the action names by id, with where (checked to be active when the workflow is saved). */
  namedUsers?(action: ActionOf<T>, at: string): { id: string; path: string }[];
  /** Whether the action takes users in turn (a round-robin counter is kept per action). */
  takesTurns?(action: ActionOf<T>): boolean;
  /** A delivery made at the end of the write's workflow processing, from the record as committed. */
  deliver?(action: ActionOf<T>, pending: PendingDelivery, row: Row, jobs: JobQueue): Promise<ActionResult>;
  /** The delivery setting the action needs: an active workflow with it cannot be saved while it is missing. */
  readonly needs?: DeliveryNeed;
}

export interface DeliveryNeed {
  readonly setting: keyof MissingDeliverySettings;
  readonly code: 'webhook_secret_not_set' | 'smtp_not_set';
}

/** What an action runs with. */
export interface ActionRunContext {
  readonly run: RunScope;
  readonly services: ActionServices;
  readonly index: number;
  /** The triggering record's id. */
  readonly recordId: string;
  /** Writes inside the run's transaction, one workflow level deeper. */
  readonly within: WithinTransaction;
  /** A write of the triggering record itself (starts from, and updates, the row the transaction holds). */
  readonly self: WithinTransaction;
}

/** A field rename, with the rewrites actions apply to their parts. */
export interface FieldRename {
  readonly from: string;
  readonly to: string;
  /** A field name: `to` if it is `from`. */
  name(field: string): string;
  /** A rule's variables (`$old.<field>` too). */
  rule(rule: unknown): unknown;
  /** The rules of field values (not their keys). */
  values(values: FieldAssignments): FieldAssignments;
  /** `{{field}}` tags of a template. */
  template(text: string): string;
}
