import type { Kysely } from 'kysely';
import type { ApprovalService } from '../approvals/approval-service';
import type { SystemDatabase } from '../db/system-tables';
import type { MissingDeliverySettings } from '../delivery';
import type { JobQueue } from '../jobs';
import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner } from '../metadata/change-runner';
import type { RecordService } from '../records/record-service';
import type { Administration } from '../security/administration';
import { WorkflowRunLog } from './run-log';
import { WorkflowRunner, type WorkflowRunnerOptions } from './run-workflows';
import { CRON_TASK, DATE_TASK, cronTask, dateTask, ensureCronChains, setUpWorkflow } from './schedules';
import { WorkflowService } from './workflow-service';

/**
 * Workflows (see README "Workflows"): documents per object (workflow-service.ts, checked by
 * check-workflow.ts in validate-graph, renamed with their fields by workflow-references.ts),
 * compiled per revision (compile-workflows.ts), run by the record pipeline's hooks inside each
 * write's transaction (run-workflows.ts, actions.ts; webhooks and email: deliveries.ts),
 * scheduled through the job queue (schedules.ts), logged in the same transaction (run-log.ts).
 */
export interface Workflows {
  readonly service: WorkflowService;
  readonly runs: WorkflowRunLog;
  readonly runner: WorkflowRunner;
}

export async function setUpWorkflows(deps: {
  readonly db: Kysely<SystemDatabase>;
  readonly cache: MetadataCache;
  readonly runner: MetadataChangeRunner;
  readonly administration: Administration;
  readonly records: RecordService;
  readonly jobs: JobQueue;
  readonly approvals: ApprovalService;
  /** What this process cannot deliver: workflows that would need it are refused on save. */
  readonly missingDelivery: MissingDeliverySettings;
  readonly options?: WorkflowRunnerOptions;
}): Promise<Workflows> {
  const runner = new WorkflowRunner(deps.db, { records: deps.records, jobs: deps.jobs, approvals: deps.approvals }, deps.options);
  deps.records.useHooks(runner);
  const services = { db: deps.db, cache: deps.cache, jobs: deps.jobs, records: deps.records, runner };
  // A run over many records may take a while: minutes, not the 30 s of a delivery.
  await deps.jobs.register(DATE_TASK, dateTask(services), { timeoutMs: 5 * 60_000 });
  await deps.jobs.register(CRON_TASK, cronTask(services), { timeoutMs: 60 * 60_000 });
  await ensureCronChains(deps.db, deps.jobs, await deps.cache.current());
  return {
    service: new WorkflowService(deps.runner, deps.cache, deps.administration, (trx, id, definition) => setUpWorkflow(trx, deps.jobs, id, definition), deps.missingDelivery),
    runs: new WorkflowRunLog(deps.db, deps.administration),
    runner,
  };
}

export type { WorkflowRunnerOptions } from './run-workflows';
export { MAX_WORKFLOW_DEPTH } from './workflow-data';
export { workflowSchema } from './workflow-schema';
export type { WorkflowService } from './workflow-service';
export type { WorkflowRunLog, WorkflowRun, WorkflowRunQuery } from './run-log';
export type * from './types';
