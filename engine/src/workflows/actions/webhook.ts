import { WEBHOOK_TASK } from '../../delivery';
import { outputRecord } from '../../records/representation';
import { evaluateAssignments, fieldAssignmentsSchema } from '../../assignments';
import { workflowData } from '../workflow-data';
import type { ActionType } from './action-type';
import { askForDelivery } from './ask-for-delivery';
import { name } from './schema-parts';
import { reason } from '../../errors';

/** A signed JSON POST (a job, sent after commit with retries): the record, or a body of rules over it. */
export const webhookAction: ActionType<'webhook'> = {
  type: 'webhook',
  schema: {
    properties: { type: { const: 'webhook' }, name, url: { type: 'string', minLength: 8, maxLength: 2000 }, body: fieldAssignmentsSchema },
    required: ['type', 'url'],
    additionalProperties: false,
  },
  check(action, at, scope, context) {
    let url: URL | undefined;
    try {
      url = new URL(action.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) context.report(`${at}/url`, reason('must_be_http_url_without_credentials'));
    for (const [key, rule] of Object.entries(action.body ?? {})) context.checkRule(`${at}/body/${key}`, rule, scope);
  },
  run: async (action, context) => askForDelivery(action, context),
  renameField: (action, rename) => (action.body ? { ...action, body: rename.values(action.body) } : action),
  async deliver(action, { run, key }, row, jobs) {
    const body = action.body
      ? evaluateAssignments(action.body, row === run.record ? run.data : workflowData(run.object, row, run.old, run.context))
      : { workflow: run.workflow.name, event: run.trigger, object: run.object.name, record: outputRecord(run.object, row, run.context), old: run.old ? outputRecord(run.object, run.old, run.context) : null, run_id: run.runId };
    const job = await jobs.enqueue(run.trx, { task: WEBHOOK_TASK, key, payload: { url: action.url, body } });
    return { outcome: 'done', detail: { job_id: job.id, delivery: key } };
  },
  needs: { setting: 'webhook', code: 'webhook_secret_not_set' },
};
