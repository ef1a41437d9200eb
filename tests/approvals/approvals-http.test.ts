import SwaggerParser from '@apidevtools/swagger-parser';
import { installTemplate, systemActor, type Engine } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../support/test-server';
import { callAs, createPerson, type Person } from './people';

/**
 * Approvals over real HTTP, on the shipped sales template and its "deal over 500,000" process:
 * Li (sales rep, East) submits, his manager Wang (sales manager) decides; Zhou and Sun are the
 * other sales managers, Chen another rep, Zhao finance.
 */

const server = useTestServer();

let engine: Engine;
let li: Person;
let chen: Person;
let wang: Person;
let zhou: Person;
let sun: Person;
let zhao: Person;
let accountId: string;

const person = (name: string, roles: string[], department: string, manager: string | null = null) => createPerson(engine, name, roles, department, manager);

/** Calls the API as someone (the administrator by default). */
const call = (who: Person | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => callAs(server(), who, method, path, body, headers);

/** An opportunity of Li's (created by the administrator: probability is read-only for reps). */
async function opportunity(amount: string): Promise<string> {
  const created = await call(null, 'POST', '/api/records/opportunity', { title: `Deal ${amount}`, account: accountId, amount, stage: 'proposal', probability: 40, owner_id: li.id });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

beforeAll(async () => {
  engine = server().engine;
  await installTemplate(engine, systemActor, readTemplate('sales'), { sampleData: true });
  const sales = await engine.departments.create(systemActor, { name: 'Sales' });
  const east = await engine.departments.create(systemActor, { name: 'East', parent_id: sales.id });
  wang = await person('Wang', ['sales_manager'], sales.id);
  zhou = await person('Zhou', ['sales_manager'], sales.id);
  sun = await person('Sun', ['sales_manager'], sales.id);
  li = await person('Li', ['sales_rep'], east.id, wang.id);
  chen = await person('Chen', ['sales_rep'], east.id, wang.id);
  zhao = await person('Zhao', ['finance'], sales.id);
  accountId = (await engine.records.list(systemActor, 'account', { limit: 1, sort: 'number' })).data[0]!.id as string;
});

describe('approval processes over HTTP', () => {
  it('are served and changed like views, by administrators only', async () => {
    const list = await call(null, 'GET', '/api/meta/objects/opportunity/approval-processes');
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { name: string }) => p.name)).toEqual(['large_deal']);
    expect(typeof list.body.revision).toBe('number');
    expect((await call(null, 'GET', '/api/meta/objects/opportunity/approval-processes/large_deal')).body).toMatchObject({ name: 'large_deal', active: true });
    expect((await call(wang, 'GET', '/api/meta/objects/opportunity/approval-processes')).status).toBe(403);
    const process = { name: 'tiny', label: 'Tiny', active: false, entry_criteria: { '<': [{ var: 'amount' }, 100] }, steps: [{ name: 'any_manager', approvers: [{ type: 'role', role: 'sales_manager' }], mode: 'any' }] };
    expect((await call(wang, 'POST', '/api/meta/objects/opportunity/approval-processes', process)).status).toBe(403);
    const bad = await call(null, 'POST', '/api/meta/objects/opportunity/approval-processes', { ...process, steps: [{ name: 's', approvers: [{ type: 'role', role: 'ghost' }], mode: 'any' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('metadata_invalid');
    expect(bad.body.error.fields[0].path).toBe('steps/0/approvers/0/role');
    // A constant field update is checked like a field default, as a workflow's value is.
    const literal = await call(null, 'POST', '/api/meta/objects/opportunity/approval-processes', { ...process, on_approve: { probability: 'abc' } });
    expect(literal.status).toBe(400);
    expect(literal.body.error).toMatchObject({ code: 'metadata_invalid', fields: [{ path: 'on_approve/probability' }] });
    expect(literal.body.error.message).toContain('on_approve/probability "abc" is not');
    const created = await call(null, 'POST', '/api/meta/objects/opportunity/approval-processes', process);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'tiny', revision: expect.any(Number) });
    expect((await call(null, 'PATCH', '/api/meta/objects/opportunity/approval-processes/tiny', { label: 'Tiny deals' })).body.label).toBe('Tiny deals');
    expect((await call(null, 'DELETE', '/api/meta/objects/opportunity/approval-processes/tiny')).status).toBe(200);
    expect((await call(null, 'GET', '/api/meta/objects/opportunity/approval-processes/tiny')).body.error.code).toBe('approval_process_not_found');
  });
});

describe('the deal-over-500,000 process', () => {
  it("refuses a deal under 500,000, locks a submitted one, and lets Li's manager approve it", async () => {
    const small = await opportunity('1000.00');
    const refused = await call(li, 'POST', `/api/records/opportunity/${small}/submit`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('approval_not_applicable');

    const id = await opportunity('600000.00');
    const submitted = await call(li, 'POST', `/api/records/opportunity/${id}/submit`, { comment: 'Signed LOI' });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'pending', process: 'large_deal', current_step: 'manager', comment: 'Signed LOI' });
    expect(submitted.body.steps[0].approvers.map((a: { user_id: string }) => a.user_id)).toEqual([wang.id]);
    expect((await call(li, 'POST', `/api/records/opportunity/${id}/submit`, {})).body.error.code).toBe('approval_pending');

    // Locked: Li may not edit or delete it; the message says why, in his language.
    const locked = await call(li, 'PATCH', `/api/records/opportunity/${id}`, { title: 'changed' }, { 'accept-language': 'zh-CN' });
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('record_locked');
    expect(locked.body.error.message).toBe('商机「Deal 600000.00」正在等待审批：在审批完成或撤回之前不能修改');
    expect((await call(li, 'DELETE', `/api/records/opportunity/${id}`)).body.error.code).toBe('record_locked');
    expect((await call(wang, 'PATCH', `/api/records/opportunity/${id}`, { description: 'x' })).status).toBe(409);
    expect((await call(null, 'PATCH', `/api/records/opportunity/${id}`, { description: 'fixed by admin' })).status).toBe(200);

    // The inbox: Wang sees it, with the title; Li and Zhou do not.
    const inbox = await call(wang, 'GET', '/api/approvals/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.body.data.find((e: { request_id: string }) => e.request_id === submitted.body.id)).toMatchObject({
      object: 'opportunity',
      record_id: id,
      title: 'Deal 600000.00',
      step: 'manager',
      reject_needs_comment: true,
      submitted_by: { id: li.id, name: 'Li' },
      comment: 'Signed LOI',
    });
    for (const who of [li, zhou]) expect((await call(who, 'GET', '/api/approvals/inbox')).body.data.some((e: { request_id: string }) => e.request_id === submitted.body.id)).toBe(false);

    // Only people who can read the record read its approvals.
    expect((await call(li, 'GET', `/api/records/opportunity/${id}/approvals`)).status).toBe(200);
    expect((await call(zhao, 'GET', `/api/records/opportunity/${id}/approvals`)).status).toBe(200);
    const hidden = await call(chen, 'GET', `/api/records/opportunity/${id}/approvals`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('record_not_found');
    expect((await call(chen, 'POST', `/api/approvals/${submitted.body.id}/approve`, {})).status).toBe(404);

    const approved = await call(wang, 'POST', `/api/approvals/${submitted.body.id}/approve`, { comment: 'Go' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', current_step: null });
    expect(approved.body.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['manager', 'approved'], ['sales_managers', 'skipped']]);
    expect((await call(li, 'GET', `/api/records/opportunity/${id}`)).body).toMatchObject({ probability: '80.00', description: 'fixed by admin' });
    expect((await call(li, 'PATCH', `/api/records/opportunity/${id}`, { title: 'after approval' })).status).toBe(200);
    const history = await call(li, 'GET', `/api/records/opportunity/${id}/approvals`);
    expect(history.body.data[0].actions.map((a: { action: string; actor_id: string; comment: string | null }) => [a.action, a.actor_id, a.comment])).toEqual([
      ['submitted', li.id, 'Signed LOI'],
      ['approved', wang.id, 'Go'],
      ['skipped', expect.any(String), null],
    ]);
    const audit = await call(null, 'GET', `/api/audit?subject=${encodeURIComponent(`opportunity/${id}`)}`);
    expect(audit.body.data.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['approval_submitted', 'approval_approved']));
  });

  it('tells which records await approval and which a submission would apply to, of those the caller may read', async () => {
    const small = await opportunity('1000.00');
    const big = await opportunity('700000.00');
    const waiting = await opportunity('800000.00');
    expect((await call(li, 'POST', `/api/records/opportunity/${waiting}/submit`, {})).status).toBe(201);
    const states = await call(li, 'GET', `/api/records/opportunity/approval-states?ids=${[small, big, waiting, 'not-an-id'].join(',')}`);
    expect(states.status).toBe(200);
    expect(new Map(states.body.data.map((s: { id: string }) => [s.id, s]))).toEqual(
      new Map([
        [small, { id: small, pending: false, can_submit: false }],
        [big, { id: big, pending: false, can_submit: true }],
        [waiting, { id: waiting, pending: true, can_submit: false }],
      ]),
    );
    // Chen (another rep) reads only his own: Li's are left out, not described.
    expect((await call(chen, 'GET', `/api/records/opportunity/approval-states?ids=${big},${waiting}`)).body).toEqual({ data: [] });
    expect((await call(li, 'GET', '/api/records/opportunity/approval-states')).body).toEqual({ data: [] });
    const tooMany = await call(li, 'GET', `/api/records/opportunity/approval-states?ids=${Array.from({ length: 201 }, () => big).join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields[0].path).toBe('ids');
    expect((await call(li, 'GET', '/api/records/ghost/approval-states?ids=' + big)).status).toBe(404);
  });

  it('over 2,000,000 needs every sales manager, and a rejection needs a comment', async () => {
    const id = await opportunity('2500000.00');
    const request = (await call(li, 'POST', `/api/records/opportunity/${id}/submit`, {})).body;
    const first = await call(wang, 'POST', `/api/approvals/${request.id}/approve`, {});
    expect(first.body).toMatchObject({ status: 'pending', current_step: 'sales_managers' });
    expect(first.body.steps[1].approvers.map((a: { user_id: string }) => a.user_id).sort()).toEqual([wang.id, zhou.id, sun.id].sort());
    expect((await call(wang, 'POST', `/api/approvals/${request.id}/approve`, {})).status).toBe(200);
    const noComment = await call(zhou, 'POST', `/api/approvals/${request.id}/reject`, {});
    expect(noComment.status).toBe(400);
    expect(noComment.body.error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'comment', code: 'required' }] });
    const rejected = await call(zhou, 'POST', `/api/approvals/${request.id}/reject`, { comment: 'Margin too thin' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect((await call(sun, 'POST', `/api/approvals/${request.id}/approve`, {})).body.error.code).toBe('approval_already_decided');
    expect((await call(li, 'GET', `/api/records/opportunity/${id}`)).body.probability).toBe('40.00');

    // The inbox's other tabs: what Li submitted, what each manager decided (one entry per decision).
    const submittedByLi = await call(li, 'GET', '/api/approvals/submitted');
    expect(submittedByLi.status).toBe(200);
    expect(submittedByLi.body.data[0]).toMatchObject({
      request_id: request.id,
      object: 'opportunity',
      record_id: id,
      title: 'Deal 2500000.00',
      status: 'rejected',
      current_step: null,
      submitted_by: { id: li.id, name: 'Li' },
      decision: null,
    });
    expect((await call(wang, 'GET', '/api/approvals/submitted')).body.data).toEqual([]);
    const decidedByZhou = await call(zhou, 'GET', '/api/approvals/decided');
    expect(decidedByZhou.body.data[0]).toMatchObject({ request_id: request.id, status: 'rejected', decision: { step: 'sales_managers', outcome: 'rejected', comment: 'Margin too thin' } });
    const decidedByWang = (await call(wang, 'GET', '/api/approvals/decided')).body.data.filter((d: { request_id: string }) => d.request_id === request.id);
    expect(decidedByWang.map((d: { decision: { step: string; outcome: string } }) => `${d.decision.step}:${d.decision.outcome}`).sort()).toEqual(['manager:approved', 'sales_managers:approved']);
    expect((await call(sun, 'GET', '/api/approvals/decided')).body.data.some((d: { request_id: string }) => d.request_id === request.id)).toBe(false);
    expect((await call(li, 'GET', '/api/approvals/decided')).body.data).toEqual([]);
  });

  it('lets Li recall his request, and refuses others; a task can be reassigned', async () => {
    const id = await opportunity('700000.00');
    const request = (await call(li, 'POST', `/api/records/opportunity/${id}/submit`, {})).body;
    expect((await call(wang, 'POST', `/api/approvals/${request.id}/recall`, {})).status).toBe(403);
    expect((await call(chen, 'POST', `/api/approvals/${request.id}/recall`, {})).status).toBe(404);
    const reassigned = await call(wang, 'POST', `/api/approvals/${request.id}/reassign`, { to_user_id: zhou.id, comment: 'Travelling' });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.steps[0].approvers.map((a: { user_id: string; status: string }) => [a.user_id, a.status])).toEqual([[wang.id, 'reassigned'], [zhou.id, 'pending']]);
    expect((await call(zhou, 'GET', '/api/approvals/inbox')).body.data.some((e: { request_id: string }) => e.request_id === request.id)).toBe(true);
    const recalled = await call(li, 'POST', `/api/approvals/${request.id}/recall`, { comment: 'Wrong amount' });
    expect(recalled.status).toBe(200);
    expect(recalled.body.status).toBe('recalled');
    expect((await call(zhou, 'POST', `/api/approvals/${request.id}/approve`, {})).body.error.code).toBe('approval_already_decided');
    expect((await call(li, 'PATCH', `/api/records/opportunity/${id}`, { amount: '650000.00' })).status).toBe(200);
    expect((await call(li, 'POST', '/api/approvals/not-an-id/approve', {})).status).toBe(404);
    expect((await call(li, 'POST', `/api/approvals/${request.id}/recall`, { extra: 1 })).body.error.fields[0]).toMatchObject({ path: 'extra', code: 'unknown_field' });
  });
});

describe('concurrent decisions', () => {
  it('advance an "any" step exactly once when every manager approves at the same moment', async () => {
    await call(null, 'POST', '/api/meta/objects/opportunity/approval-processes', {
      name: 'any_manager',
      label: 'Any manager',
      active: true,
      entry_criteria: { '<': [{ var: 'amount' }, 100] },
      steps: [
        { name: 'first', approvers: [{ type: 'role', role: 'sales_manager' }], mode: 'any' },
        { name: 'second', approvers: [{ type: 'manager' }], mode: 'any' },
      ],
    });
    for (let round = 0; round < 3; round += 1) {
      const id = await opportunity('10.00');
      const request = (await call(li, 'POST', `/api/records/opportunity/${id}/submit`, { process: 'any_manager' })).body;
      // Wang also approves the second step (Li's manager): `step` keeps his click on the step he saw.
      const responses = await Promise.all([wang, zhou, sun].map((who) => call(who, 'POST', `/api/approvals/${request.id}/approve`, { step: 'first' })));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect(responses.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['approval_already_decided', 'approval_already_decided']);
      const [view] = (await call(li, 'GET', `/api/records/opportunity/${id}/approvals`)).body.data;
      expect(view.current_step).toBe('second');
      expect(view.actions.filter((a: { action: string }) => a.action === 'approved')).toHaveLength(1);
      expect(view.steps.map((s: { status: string }) => s.status)).toEqual(['approved', 'pending']);
    }
  });
});

describe('the OpenAPI document', () => {
  /** The document as someone sees it: a token, or null for no credentials. */
  const paths = async (token: string | null) => {
    const response = await fetch(`${server().base}/api/openapi.json`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return (await response.json()) as { paths: Record<string, Record<string, unknown>> };
  };

  it('describes the approval routes, the submit route only where the reader may edit', async () => {
    const admin = await paths(server().token);
    await SwaggerParser.validate(structuredClone(admin) as never);
    expect(Object.keys(admin.paths)).toEqual(
      expect.arrayContaining([
        '/api/meta/objects/{object}/approval-processes',
        '/api/meta/objects/{object}/approval-processes/{name}',
        '/api/records/opportunity/{id}/submit',
        '/api/records/opportunity/{id}/approvals',
        '/api/records/opportunity/approval-states',
        '/api/approvals/inbox',
        '/api/approvals/submitted',
        '/api/approvals/decided',
        '/api/approvals/{id}/approve',
        '/api/approvals/{id}/reject',
        '/api/approvals/{id}/recall',
        '/api/approvals/{id}/reassign',
      ]),
    );
    // Accounts have no approval process.
    expect(admin.paths['/api/records/account/{id}/submit']).toBeUndefined();
    const rep = await paths(li.token);
    expect(rep.paths['/api/records/opportunity/{id}/submit']?.post).toBeDefined();
    expect(rep.paths['/api/meta/objects/{object}/approval-processes']).toBeUndefined();
    const finance = await paths(zhao.token);
    expect(finance.paths['/api/records/opportunity/{id}/submit']).toBeUndefined();
    expect(finance.paths['/api/records/opportunity/{id}/approvals']?.get).toBeDefined();
    expect(finance.paths['/api/approvals/inbox']?.get).toBeDefined();
    const anonymous = await paths(null);
    expect(Object.keys(anonymous.paths).filter((p) => p.startsWith('/api/records'))).toEqual([]);
    expect(anonymous.paths['/api/approvals/{id}/approve']?.post).toBeDefined();
  });
});
