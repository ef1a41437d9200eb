import { MAX_APPROVAL_STATE_IDS } from '@crm/engine';
import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { APPROVALS_TAG } from '../openapi/approval-schemas';
import { objectDocumentRoutes, plainDocumentService } from '../metadata/document-routes';
import { idsOf, jsonBody, jsonResponse, pathParameter, recordStatesResponse } from '../openapi/operations';
import { parameterRef } from '../openapi/record-parameters';
import { schemaRef } from '../openapi/types';

/**
 * Approvals over HTTP, thin wrappers around engine.approvalProcesses (metadata documents, like
 * views: /api/meta/objects/:object/approval-processes, administrators only) and engine.approvals
 * (submitting a record and reading its approval history, per object where the viewer may edit or
 * read it and the object has approval processes; the inbox and decisions, for everyone signed in:
 * the engine answers 404 for requests that are none of theirs). The engine decides who may do what.
 */


// Process documents, the shape of the other documents under an object; administrators only.
const processRoutes = objectDocumentRoutes({
  segment: 'approval-processes',
  plural: 'approval_processes',
  singular: 'approval_process',
  parameter: 'name',
  document: 'ApprovalProcessDefinition',
  schemaStem: 'ApprovalProcess',
  service: (engine) => plainDocumentService(engine.approvalProcesses),
  readAccess: 'admin',
  readErrors: [403, 404],
  notes: {
    list: 'The processes, in creation order.',
    create: 'Criteria and field updates are checked against the fields, approvers against roles, user fields and active users (400 `metadata_invalid` naming each problem).',
    update: 'Requests already running keep the process they were submitted with. `active: false` stops new submissions.',
    delete: 'Refused while requests of the process are pending (409 `dependency_exists`): recall or decide them, or deactivate the process.',
  },
});

// A record's side: submit it, read its approval history. Described per object that has processes.
const recordRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'POST',
    url: '/api/records/:object/:id/submit',
    access: 'signed-in',
    params: { id: parameterRef('RecordId') },
    openapi: {
      perObject: ({ object, may, label }) => {
        const active = [...object.approvalProcesses.values()].filter((p) => p.active).map((p) => `\`${p.name}\``);
        return (
          may.edit &&
          active.length > 0 && {
            operationId: `submit_${object.name}_for_approval`,
            summary: `Submit ${label} for approval`,
            description: `Active processes: ${active.join(', ')}. You must be able to edit the record. While the request is pending the record is locked: updates and deletes are refused (409 \`record_locked\`) except for administrators. 422 \`approval_criteria_not_met\` / \`approval_not_applicable\` when no process accepts the record, \`approval_no_approver\` when a step that applies has nobody to act on it; 409 \`approval_pending\` when a request is already pending.`,
            tag: object.name,
            requestBody: jsonBody(schemaRef('ApprovalSubmitRequest')),
            responses: { 201: jsonResponse('The request, its first step started.', schemaRef('ApprovalRequest')) },
            errors: [404, 409, 422, 503],
          }
        );
      },
    },
    handler: async (request, reply, { engine }) =>
      reply.status(201).send(await engine.approvals.submit(actorOf(request), request.params.object, request.params.id, request.body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/records/:object/:id/approvals',
    access: 'signed-in',
    params: { id: parameterRef('RecordId') },
    openapi: {
      perObject: ({ object, may, label }) =>
        may.read &&
        object.approvalProcesses.size > 0 && {
          operationId: `list_${object.name}_approvals`,
          summary: `Approval history of ${label}`,
          description: 'Every request of the record, newest first, with steps, approvers and actions (who, when, comment). 404 for a record you cannot read.',
          tag: object.name,
          responses: { 200: jsonResponse('The requests.', schemaRef('ApprovalRequestList')) },
          errors: [403, 404],
        },
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.approvals.history(actorOf(request), request.params.object, request.params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/records/:object/approval-states',
    access: 'signed-in',
    query: { ids: query.string(`Record ids, comma-separated (at most ${MAX_APPROVAL_STATE_IDS}).`) },
    openapi: {
      perObject: ({ object, may, plural }) =>
        may.read &&
        object.approvalProcesses.size > 0 && {
          operationId: `${object.name}_approval_states`,
          summary: `Approval states of ${plural}`,
          description:
            'For each of the given records you may read (others are left out): `pending`, a request awaits a decision (the record is locked); `can_submit`, a submission would start one (an active process\'s entry criteria and at least one of its steps\' criteria hold; approvers are resolved on submit). What a list, a board or a record page shows before the user tries.',
          tag: object.name,
          responses: {
            200: recordStatesResponse('The states.', MAX_APPROVAL_STATE_IDS, { pending: { type: 'boolean' }, can_submit: { type: 'boolean' } }),
          },
          errors: [400, 403, 404],
        },
    },
    handler: async (request, _reply, { engine }) => {
      return { data: await engine.approvals.states(actorOf(request), request.params.object, idsOf(request.query.ids)) };
    },
  }),
];

type Decision = 'approve' | 'reject' | 'recall' | 'reassign';

function decisionRoute(action: Decision, summary: string, description: string, body: string): DeclaredRoute<RouteDeps> {
  return defineRoute({
    method: 'POST',
    url: `/api/approvals/:id/${action}`,
    access: 'signed-in',
    params: { id: pathParameter('id', 'Approval request id.', { type: 'string', format: 'uuid' }) },
    openapi: {
      operationId: `${action}_approval_request`,
      summary,
      description,
      tag: APPROVALS_TAG.name,
      requestBody: jsonBody(schemaRef(body)),
      responses: { 200: jsonResponse('The request after the action.', schemaRef('ApprovalRequest')) },
      errors: [404, 409, 422, 503],
    },
    handler: async (request, _reply, { engine }) => engine.approvals[action](actorOf(request), request.params.id, request.body),
  });
}

// The approver's side.
const approverRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/approvals/inbox',
    access: 'signed-in',
    openapi: {
      operationId: 'approval_inbox',
      summary: 'Tasks waiting on me',
      description: "Open approval tasks of the caller, oldest first (at most 500), with each record's title.",
      tag: APPROVALS_TAG.name,
      responses: { 200: jsonResponse('The open tasks.', schemaRef('ApprovalInbox')) },
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.approvals.inbox(actorOf(request)) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/approvals/submitted',
    access: 'signed-in',
    openapi: {
      operationId: 'approvals_submitted_by_me',
      summary: 'Requests I submitted',
      description: "Your approval requests, newest first (at most 500), with each record's title, status and the step waiting.",
      tag: APPROVALS_TAG.name,
      responses: { 200: jsonResponse('The requests.', schemaRef('ApprovalSummaryList')) },
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.approvals.submitted(actorOf(request)) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/approvals/decided',
    access: 'signed-in',
    openapi: {
      operationId: 'approvals_decided_by_me',
      summary: 'My decisions',
      description: "The approvals and rejections you made, newest first (at most 500), each with its request's current status and the record's title.",
      tag: APPROVALS_TAG.name,
      responses: { 200: jsonResponse('Your decisions.', schemaRef('ApprovalSummaryList')) },
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.approvals.decided(actorOf(request)) }),
  }),
  decisionRoute(
    'approve',
    'Approve',
    'Your open task on the current step. An `any` step completes with the first approval, an `all` step once every approver approved; the last step approves the request and applies its `on_approve` field updates. 409 `approval_already_decided` when someone else decided first.',
    'ApprovalDecisionRequest',
  ),
  decisionRoute('reject', 'Reject', 'Rejects the whole request and applies its `on_reject` field updates.', 'ApprovalDecisionRequest'),
  decisionRoute('recall', 'Recall', 'The submitter (or an administrator) withdraws a pending request; `on_recall` field updates apply.', 'ApprovalRecallRequest'),
  decisionRoute('reassign', 'Reassign a task', 'An approver hands their open task to someone else; an administrator any task.', 'ApprovalReassignRequest'),
];

export const approvalRoutes: readonly DeclaredRoute<RouteDeps>[] = [...processRoutes, ...recordRoutes, ...approverRoutes];
