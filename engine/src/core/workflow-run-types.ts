/**
 * A workflow run as administrators read it (GET /api/workflow-runs): the engine's workflows/ logs
 * them, the UIs show them on a record's timeline. Type-only, so the browser-safe core carries it.
 */

export type WorkflowRunTrigger = 'created' | 'updated' | 'deleted' | 'restored' | 'date' | 'schedule';
export type WorkflowRunOutcome = 'completed' | 'failed';

/** What one action of a run did. */
export interface ActionLog {
  readonly action: string;
  readonly type: string;
  readonly outcome: 'done' | 'skipped' | 'failed';
  readonly detail?: Record<string, unknown>;
}

export interface WorkflowRun {
  readonly id: string;
  readonly object: string | null;
  readonly workflow: string;
  readonly record_id: string | null;
  readonly trigger: WorkflowRunTrigger;
  readonly actor_id: string;
  readonly depth: number;
  readonly conditions: unknown;
  readonly actions: readonly ActionLog[];
  readonly outcome: WorkflowRunOutcome;
  readonly error: unknown;
  readonly started_at: string;
  readonly finished_at: string;
}
