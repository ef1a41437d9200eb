import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_USER_ID, systemActor, userActor, type Actor } from '../actors';
import type { AuditRecord } from '../audit/audit-log';
import { installTemplate } from '../templates/install-template';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

interface MetadataDetails {
  readonly revision?: number;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly also_changed?: { kind: string; subject: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[];
}
type MetadataEntry = Omit<AuditRecord, 'details'> & { readonly details: MetadataDetails };

let admin: Actor;
let adminId: string;

beforeAll(async () => {
  const { engine } = harness();
  adminId = (await engine.users.create(systemActor, { name: 'Metadata auditor', roles: ['administrator'] })).id;
  admin = userActor(adminId);
});

/** The log about one subject, oldest first. */
async function logOf(subject: string): Promise<MetadataEntry[]> {
  const page = await harness().engine.audit.list(admin, { subject, limit: 500 });
  return (page.data as MetadataEntry[]).reverse();
}

/** The one entry the last change of `subject` wrote, checked for who did it and which revision it produced. */
async function lastEntry(subject: string, event: string, revision: number, actorId = adminId): Promise<MetadataEntry> {
  const entries = await logOf(subject);
  const entry = entries[entries.length - 1]!;
  expect(entry).toMatchObject({ event, subject, actor_id: actorId });
  expect(entry.details.revision).toBe(revision);
  expect(entries.filter((e) => e.details.revision === revision)).toHaveLength(1);
  return entry;
}

describe('the audit log of metadata changes', () => {
  it('records each change of an object and what belongs to it, with the document before and after', async () => {
    const { engine } = harness();
    const deal = uniqueName('deal');

    const created = await engine.objects.create(admin, { name: deal, label: 'Deal', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    const objectCreated = await lastEntry(deal, 'object_created', created.revision);
    expect(objectCreated.details).toMatchObject({ before: null, after: { name: deal, label: 'Deal' } });
    // The object's first fields come with it.
    expect(objectCreated.details.also_changed).toEqual([{ kind: 'field', subject: `${deal}.title`, before: null, after: { name: 'title', type: 'text', label: 'Title' } }]);
    expect(new Date(objectCreated.at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const relabelled = await engine.objects.update(admin, deal, { label: 'Opportunity' });
    expect((await lastEntry(deal, 'object_changed', relabelled.revision)).details).toMatchObject({ before: { label: 'Deal' }, after: { label: 'Opportunity' } });

    const field = await engine.fields.create(admin, deal, { name: 'amount', type: 'currency', label: 'Amount' });
    expect((await lastEntry(`${deal}.amount`, 'field_created', field.revision)).details).toEqual({ revision: field.revision, before: null, after: { name: 'amount', type: 'currency', label: 'Amount' } });
    // A rename is logged under the new name, the old one in `before`.
    const renamed = await engine.fields.update(admin, deal, 'amount', { name: 'value', label: 'Value' });
    expect((await lastEntry(`${deal}.value`, 'field_changed', renamed.revision)).details).toMatchObject({ before: { name: 'amount', label: 'Amount' }, after: { name: 'value', label: 'Value' } });

    const layout = await engine.layouts.create(admin, deal, { name: 'main', type: 'form', sections: [{ columns: 1, fields: [{ field: 'title' }] }] });
    expect((await lastEntry(`${deal}.main`, 'layout_created', layout.revision)).details).toMatchObject({ before: null, after: { name: 'main', type: 'form' } });
    const layoutChanged = await engine.layouts.update(admin, deal, 'main', { sections: [{ columns: 2, fields: [{ field: 'title' }, { field: 'value' }] }] });
    expect((await lastEntry(`${deal}.main`, 'layout_changed', layoutChanged.revision)).details).toMatchObject({ before: { sections: [{ columns: 1 }] }, after: { sections: [{ columns: 2 }] } });

    const view = await engine.views.create(admin, deal, { name: 'all', type: 'list', columns: ['title'] });
    expect((await lastEntry(`${deal}.all`, 'view_created', view.revision)).details).toMatchObject({ before: null, after: { columns: ['title'] } });
    const viewChanged = await engine.views.update(admin, deal, 'all', { columns: ['title', 'value'] });
    expect((await lastEntry(`${deal}.all`, 'view_changed', viewChanged.revision)).details).toMatchObject({ before: { columns: ['title'] }, after: { columns: ['title', 'value'] } });

    const rule = await engine.validationRules.create(admin, deal, { name: 'positive', condition: { '>=': [{ var: 'value' }, 0] }, message: 'Not negative', fields: ['value'] });
    expect((await lastEntry(`${deal}.positive`, 'validation_rule_created', rule.revision)).details).toMatchObject({ before: null, after: { name: 'positive', fields: ['value'] } });
    const ruleChanged = await engine.validationRules.update(admin, deal, 'positive', { active: false });
    expect((await lastEntry(`${deal}.positive`, 'validation_rule_changed', ruleChanged.revision)).details).toMatchObject({ before: { name: 'positive' }, after: { active: false } });

    const workflow = await engine.workflows.create(admin, deal, { name: 'stamp', trigger: { type: 'record', events: ['created'] }, actions: [{ type: 'update_record', values: { title: 'stamped' } }] });
    expect((await lastEntry(`${deal}.stamp`, 'workflow_created', workflow.revision)).details).toMatchObject({ before: null, after: { name: 'stamp', trigger: { events: ['created'] } } });
    const workflowChanged = await engine.workflows.update(admin, deal, 'stamp', { active: false });
    expect((await lastEntry(`${deal}.stamp`, 'workflow_changed', workflowChanged.revision)).details).toMatchObject({ before: { name: 'stamp' }, after: { active: false } });

    const process = await engine.approvalProcesses.create(admin, deal, { name: 'big', label: 'Big', active: true, entry_criteria: true, steps: [{ name: 's', approvers: [{ type: 'manager' }], mode: 'any' }] });
    expect((await lastEntry(`${deal}.big`, 'approval_process_created', process.revision)).details).toMatchObject({ before: null, after: { name: 'big', active: true } });
    const processChanged = await engine.approvalProcesses.update(admin, deal, 'big', { active: false });
    expect((await lastEntry(`${deal}.big`, 'approval_process_changed', processChanged.revision)).details).toMatchObject({ before: { active: true }, after: { active: false } });

    for (const [service, name, event] of [
      [engine.approvalProcesses, 'big', 'approval_process_deleted'],
      [engine.workflows, 'stamp', 'workflow_deleted'],
      [engine.validationRules, 'positive', 'validation_rule_deleted'],
      [engine.views, 'all', 'view_deleted'],
      [engine.layouts, 'main', 'layout_deleted'],
      [engine.fields, 'value', 'field_deleted'],
    ] as const) {
      const deleted = await service.delete(admin, deal, name);
      const entry = await lastEntry(`${deal}.${name}`, event, deleted.revision);
      expect(entry.details.before).toMatchObject({ name });
      expect(entry.details.after).toBeNull();
    }

    // The recycle bin: the document stays, with when it went there; a purge removes it.
    const binned = await engine.objects.delete(admin, deal);
    const objectDeleted = await lastEntry(deal, 'object_deleted', binned.revision);
    expect(objectDeleted.details.before).not.toHaveProperty('deleted_at');
    expect(objectDeleted.details.after).toMatchObject({ name: deal, deleted_at: expect.any(String) });
    const restored = await engine.objects.restore(admin, deal);
    const objectRestored = await lastEntry(deal, 'object_restored', restored.revision);
    expect(objectRestored.details.before).toMatchObject({ deleted_at: expect.any(String) });
    expect(objectRestored.details.after).toMatchObject({ name: deal, label: 'Opportunity' });
    expect(objectRestored.details.after).not.toHaveProperty('deleted_at');
    await engine.objects.delete(admin, deal);
    const purged = await engine.objects.purge(admin, deal);
    const objectPurged = await lastEntry(deal, 'object_deleted', purged.revision);
    expect(objectPurged.details).toMatchObject({ before: { deleted_at: expect.any(String) }, after: null });
    expect(objectPurged.details.also_changed).toEqual([{ kind: 'field', subject: `${deal}.title`, before: { name: 'title', type: 'text', label: 'Title' }, after: null }]);
  });

  it('records roles (with their permissions), departments and users (with their roles), never credentials', async () => {
    const { engine } = harness();
    const deal = uniqueName('deal');
    await engine.objects.create(admin, { name: deal, label: 'Deal', fields: [{ name: 'margin', type: 'percent', label: 'Margin' }] });
    const roleName = uniqueName('rep');
    const role = await engine.roles.create(admin, { name: roleName, label: 'Rep', objects: { [deal]: { read: true, fields: { margin: 'hidden' } } } });
    expect((await lastEntry(`role:${roleName}`, 'role_created', role.revision)).details).toMatchObject({ before: null, after: { name: roleName, objects: { [deal]: { read: true } } } });
    const granted = await engine.roles.update(admin, roleName, { objects: { [deal]: { read: true, edit: true, fields: { margin: 'hidden' } } } });
    expect((await lastEntry(`role:${roleName}`, 'role_changed', granted.revision)).details).toMatchObject({
      before: { objects: { [deal]: { read: true } } },
      after: { objects: { [deal]: { read: true, edit: true } } },
    });
    // A rename that rewrites a role's permissions shows the role's change in the field's entry.
    const renamed = await engine.fields.update(admin, deal, 'margin', { name: 'gross_margin' });
    const fieldRenamed = await lastEntry(`${deal}.gross_margin`, 'field_changed', renamed.revision);
    expect(fieldRenamed.details.also_changed).toEqual([
      {
        kind: 'role',
        subject: `role:${roleName}`,
        before: expect.objectContaining({ objects: { [deal]: expect.objectContaining({ fields: { margin: 'hidden' } }) } }),
        after: expect.objectContaining({ objects: { [deal]: expect.objectContaining({ fields: { gross_margin: 'hidden' } }) } }),
      },
    ]);

    const sales = await engine.departments.create(admin, { name: 'Sales' });
    const subject = `department:${sales.id}`;
    expect((await lastEntry(subject, 'department_created', sales.revision)).details).toEqual({ revision: sales.revision, before: null, after: { id: sales.id, name: 'Sales', parent_id: null } });
    const moved = await engine.departments.update(admin, sales.id, { name: 'Sales East' });
    expect((await lastEntry(subject, 'department_changed', moved.revision)).details).toMatchObject({ before: { name: 'Sales' }, after: { name: 'Sales East' } });

    const user = await engine.users.create(admin, { name: 'Li', email: `${uniqueName('li')}@example.com`, department_id: sales.id, roles: [roleName] });
    const userSubject = `user:${user.id}`;
    const [userCreated] = await logOf(userSubject);
    expect(userCreated).toMatchObject({ event: 'user_created', actor_id: adminId, details: { before: null, after: { id: user.id, name: 'Li', active: true, department_id: sales.id, roles: [roleName] } } });
    expect(Object.keys(userCreated!.details.after!).sort()).toEqual(['active', 'department_id', 'email', 'id', 'manager_id', 'name', 'roles']);
    expect(userCreated!.details.revision).toEqual(expect.any(Number));
    await engine.auth.setPassword(admin, user.id, 'a long enough password');
    await engine.users.update(admin, user.id, { roles: [], department_id: null });
    await engine.users.update(admin, user.id, { name: 'Li Lei' });
    const [accessChanged, renamedUser, ...more] = (await logOf(userSubject)).filter((e) => e.event === 'user_changed');
    expect(more).toEqual([]);
    expect(accessChanged).toMatchObject({ event: 'user_changed', details: { before: { roles: [roleName], department_id: sales.id }, after: { roles: [], department_id: null } } });
    expect(accessChanged!.details.revision).toEqual(expect.any(Number));
    // A name decides nothing about access: no revision, but logged all the same.
    expect(renamedUser).toMatchObject({ event: 'user_changed', details: { before: { name: 'Li' }, after: { name: 'Li Lei' } } });
    expect(renamedUser!.details).not.toHaveProperty('revision');
    expect(JSON.stringify(await logOf(userSubject))).not.toMatch(/hash|password/i);

    const removed = await engine.departments.delete(admin, sales.id);
    expect((await lastEntry(subject, 'department_deleted', removed.revision)).details).toMatchObject({ before: { name: 'Sales East' }, after: null });
    // Deleting a role takes it from its holders: their change is in the role's entry.
    const holder = await engine.users.create(admin, { name: 'Holder', roles: [roleName] });
    const roleDeleted = await engine.roles.delete(admin, roleName);
    const roleEntry = await lastEntry(`role:${roleName}`, 'role_deleted', roleDeleted.revision);
    expect(roleEntry.details).toMatchObject({ before: { name: roleName }, after: null });
    expect(roleEntry.details.also_changed).toEqual([
      { kind: 'user', subject: `user:${holder.id}`, before: expect.objectContaining({ name: 'Holder', roles: [roleName] }), after: expect.objectContaining({ name: 'Holder', roles: [] }) },
    ]);
  });

  it('writes nothing for a refused change', async () => {
    const { engine } = harness();
    const deal = uniqueName('deal');
    await engine.objects.create(admin, { name: deal, label: 'Deal', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    const sales = await engine.departments.create(admin, { name: 'Sales' });
    await engine.users.create(admin, { name: 'Member', department_id: sales.id });
    const clerk = userActor((await engine.users.create(admin, { name: 'Clerk' })).id);
    const metadataEntries = async () => (await engine.audit.list(admin, { kind: 'metadata', limit: 500 })).data.length;
    const count = await metadataEntries();
    // Refused by the check of the whole metadata, after the documents were written in the transaction.
    await expectCrmError(engine.fields.create(admin, deal, { name: 'twice', type: 'formula', label: 'Twice', result_type: 'number', expression: { '*': [{ var: 'ghost' }, 2] } }), 'metadata_invalid');
    await expectCrmError(engine.fields.create(admin, deal, { name: 'title', type: 'text', label: 'Again' }), 'name_taken');
    await expectCrmError(engine.fields.delete(admin, deal, 'ghost'), 'field_not_found');
    await expectCrmError(engine.roles.create(admin, { name: uniqueName('r'), label: 'R', objects: { no_such_object: { read: true } } }), 'metadata_invalid');
    await expectCrmError(engine.departments.delete(admin, sales.id), 'dependency_exists');
    await expectCrmError(engine.users.create(admin, { name: 'Nobody', roles: ['no_such_role'] }), 'validation_failed');
    await expectCrmError(engine.fields.create(clerk, deal, { name: 'x', type: 'text', label: 'X' }), 'forbidden');
    expect(await metadataEntries()).toBe(count);
    expect(await logOf(`${deal}.twice`)).toEqual([]);
  });

  it('records template installs as the system, one entry per change', async () => {
    const { engine } = harness();
    const ticket = uniqueName('ticket');
    const agent = uniqueName('agent');
    const before = (await engine.metadata(systemActor)).revision;
    await installTemplate(engine, systemActor, {
      name: 'desk',
      version: '1.0.0',
      label: 'Desk',
      objects: [{ name: ticket, label: 'Ticket', fields: [{ name: 'subject', type: 'text', label: 'Subject' }] }],
      views: [{ object: ticket, name: 'open', type: 'list', columns: ['subject'] }],
      roles: [{ name: agent, label: 'Agent', objects: { [ticket]: { read: true } } }],
    });
    const entries = (await engine.audit.list(admin, { kind: 'metadata', actor_id: SYSTEM_USER_ID, limit: 10 })).data as MetadataEntry[];
    const installed = entries.filter((e) => (e.details.revision ?? 0) > before).reverse();
    expect(installed.map((e) => [e.event, e.subject])).toEqual([
      ['object_created', ticket],
      ['view_created', `${ticket}.open`],
      ['role_created', `role:${agent}`],
    ]);
    expect(installed.map((e) => e.details.revision)).toEqual([before + 1, before + 2, before + 3]);
  });

  it('filters by kind of document, and only administrators read it', async () => {
    const { engine } = harness();
    const deal = uniqueName('deal');
    await engine.objects.create(admin, { name: deal, label: 'Deal', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    await engine.fields.update(admin, deal, 'title', { label: 'Name' });
    await engine.views.create(admin, deal, { name: 'title', type: 'list', columns: ['title'] });
    const clerk = await engine.users.create(admin, { name: 'Clerk' });
    await engine.auth.setPassword(admin, clerk.id, 'a long enough password');
    await engine.users.update(admin, clerk.id, { name: 'Clerk Wu' });

    const fieldEvents = await engine.audit.list(admin, { kind: 'field', subject: `${deal}.title` });
    expect(fieldEvents.data.map((e) => e.event)).toEqual(['field_changed']);
    const metadata = (await engine.audit.list(admin, { kind: 'metadata', limit: 10 })).data.map((e) => [e.event, e.subject]);
    expect(metadata.slice(0, 4)).toEqual([
      ['user_changed', `user:${clerk.id}`],
      ['user_created', `user:${clerk.id}`],
      ['view_created', `${deal}.title`],
      ['field_changed', `${deal}.title`],
    ]);
    const bad = await expectCrmError(engine.audit.list(admin, { kind: 'records' }), 'validation_failed');
    expect(bad.fields.map((f) => f.path)).toEqual(['kind']);
    await expectCrmError(engine.audit.list(userActor(clerk.id), { kind: 'metadata' }), 'forbidden');
  });
});
