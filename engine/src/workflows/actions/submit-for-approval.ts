import type { ActionType } from './action-type';
import { apiName, name } from './schema-parts';
import { reason } from '../../errors';

/** Submits the record to an approval process of its object (the named one, or the first that applies). */
export const submitForApprovalAction: ActionType<'submit_for_approval'> = {
  type: 'submit_for_approval',
  schema: {
    properties: { type: { const: 'submit_for_approval' }, name, process: apiName, comment: { type: 'string', maxLength: 4000 } },
    required: ['type'],
    additionalProperties: false,
  },
  check(action, at, _scope, context) {
    const processes = context.object.approvalProcesses.map((p) => p.definition.name);
    if (action.process !== undefined && !processes.includes(action.process)) context.report(`${at}/process`, reason('approval_process_missing', { name: action.process }));
    if (action.process === undefined && processes.length === 0) context.report(at, reason('no_approval_process'));
  },
  async run(action, { run, services, recordId }) {
    const request = await services.approvals.submitWithin(
      run.trx as never,
      run.metadata,
      run.object.name,
      recordId,
      { ...(action.process !== undefined ? { process: action.process } : {}), ...(action.comment !== undefined ? { comment: action.comment } : {}) },
      run.context,
      run.depth + 1,
    );
    return { outcome: 'done', detail: { request_id: request.id, status: request.status } };
  },
};
