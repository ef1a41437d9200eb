import { describe, expect, it } from 'vitest';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { systemActor, userActor } from '../actors';
import type { RoleDefinition } from '../metadata/types';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';
import { mergeGrant } from './permissions';

const harness = useTestEngine();

const role = (objects: RoleDefinition['objects']): RoleDefinition => ({ name: 'r', label: 'R', objects });

describe('merging roles', () => {
  it('allows what any role allows, with the widest scope and the most open field mode', () => {
    const rep = role({ deal: { read: true, read_scope: 'own', fields: { margin: 'hidden', cost: 'hidden' } } });
    const lead = role({ deal: { read: true, edit: true, read_scope: 'department', edit_scope: 'own', fields: { margin: 'read_only' } } });
    const grant = mergeGrant([rep, lead], 'deal', undefined);
    expect(grant).toMatchObject({ read: true, edit: true, create: false, delete: false, export: false, readScope: 'department', editScope: 'own' });
    expect(grant.fieldModes.get('margin')).toBe('read_only');
    // The second role says nothing about cost, so it grants it in full.
    expect(grant.fieldModes.has('cost')).toBe(false);
    expect(mergeGrant([rep], 'deal', undefined).fieldModes.get('cost')).toBe('hidden');
    // Within a role, '*' covers the objects the role does not name; its unscoped read is 'all'.
    const repAndReader = role({ deal: { read: true, read_scope: 'own' }, '*': { read: true } });
    expect(mergeGrant([repAndReader], 'deal', undefined)).toMatchObject({ readScope: 'own' });
    expect(mergeGrant([repAndReader], 'invoice', undefined)).toMatchObject({ read: true, readScope: 'all', edit: false });
    // Roles add up: another role's '*' widens what this one names.
    expect(mergeGrant([rep, role({ '*': { read: true } })], 'deal', undefined)).toMatchObject({ readScope: 'all' });
    expect(mergeGrant([rep], 'invoice', undefined)).toMatchObject({ read: false, readScope: null });
  });

  it('never edits what it cannot read, and token scopes only take away', () => {
    expect(mergeGrant([role({ deal: { edit: true, delete: true } })], 'deal', undefined)).toMatchObject({ read: false, edit: false, delete: false, editScope: null });
    const scoped = mergeGrant([role({ deal: { read: true, edit: true, create: true } })], 'deal', { deal: ['read'] });
    expect(scoped).toMatchObject({ read: true, edit: false, create: false });
    expect(mergeGrant([role({ deal: { read: true } })], 'deal', { other: ['read'] })).toMatchObject({ read: false });
  });
});

describe('roles, departments and users as metadata', () => {
  it('validates roles against the objects and fields they name, and follows renames and deletes', async () => {
    const { engine } = harness();
    const name = uniqueName('deal');
    await engine.objects.create(systemActor, { name, label: 'Deal', fields: [{ name: 'margin', type: 'percent', label: 'M' }, { name: 'note', type: 'text', label: 'N' }] });
    const roleName = uniqueName('viewer');
    const bad = await expectCrmError(engine.roles.create(systemActor, { name: roleName, label: 'V', objects: { [name]: { read: true, fields: { ghost: 'hidden' } }, nothing_here: { read: true } } }), 'metadata_invalid');
    expect(bad.fields.map((f) => f.path).sort()).toEqual([`objects/${name}/fields/ghost`, 'objects/nothing_here']);
    await expectCrmError(engine.roles.create(systemActor, { name: roleName, label: 'V', objects: { [name]: { read: true, read_scope: 'own', edit: true, edit_scope: 'all' } } }), 'metadata_invalid');
    await expectCrmError(engine.roles.create(systemActor, { name: roleName, label: 'V', objects: { [name]: { edit: true } } }), 'metadata_invalid');
    await engine.roles.create(systemActor, { name: roleName, label: 'V', objects: { [name]: { read: true, fields: { margin: 'hidden', note: 'read_only' } } } });
    await engine.fields.update(systemActor, name, 'margin', { name: 'gross_margin' });
    expect((await engine.roles.get(systemActor, roleName)).objects[name]!.fields).toEqual({ gross_margin: 'hidden', note: 'read_only' });
    await engine.fields.delete(systemActor, name, 'note');
    expect((await engine.roles.get(systemActor, roleName)).objects[name]!.fields).toEqual({ gross_margin: 'hidden' });
    await engine.objects.update(systemActor, name, { name: `${name}_x` });
    expect(Object.keys((await engine.roles.get(systemActor, roleName)).objects)).toEqual([`${name}_x`]);
    await engine.objects.delete(systemActor, `${name}_x`);
    expect((await engine.roles.get(systemActor, roleName)).objects).toEqual({});
    await expectCrmError(engine.roles.delete(systemActor, 'administrator'), 'forbidden');
    await expectCrmError(engine.roles.update(systemActor, 'administrator', { admin: false }), 'forbidden');
  });

  it('keeps the department tree a tree, and empty before deletion', async () => {
    const { engine } = harness();
    const top = await engine.departments.create(systemActor, { name: uniqueName('top') });
    const mid = await engine.departments.create(systemActor, { name: uniqueName('mid'), parent_id: top.id });
    const low = await engine.departments.create(systemActor, { name: uniqueName('low'), parent_id: mid.id });
    const cycle = await expectCrmError(engine.departments.update(systemActor, top.id, { parent_id: low.id }), 'metadata_invalid');
    expect(cycle.message).toContain('under itself');
    await expectCrmError(engine.departments.create(systemActor, { name: 'x', parent_id: '00000000-0000-4000-8000-000000000000' }), 'validation_failed');
    const member = await engine.users.create(systemActor, { name: 'Member', department_id: low.id });
    await expectCrmError(engine.departments.delete(systemActor, mid.id), 'dependency_exists');
    const inUse = await expectCrmError(engine.departments.delete(systemActor, low.id), 'dependency_exists');
    expect(inUse.messageIn('zh-CN')).toBe(`无法删除 部门 \`${low.id}\`：它正被 其下级部门或成员 使用`);
    await engine.users.update(systemActor, member.id, { department_id: mid.id });
    await engine.departments.delete(systemActor, low.id);
    expect((await engine.departments.list(systemActor)).map((d) => d.id)).not.toContain(low.id);

    // The closure the record predicates read follows creates, moves, refused cycles and deletes.
    const side = await engine.departments.create(systemActor, { name: uniqueName('side'), parent_id: top.id });
    const leaf = await engine.departments.create(systemActor, { name: uniqueName('leaf'), parent_id: side.id });
    await engine.departments.update(systemActor, side.id, { parent_id: mid.id });
    await expectCrmError(engine.departments.update(systemActor, mid.id, { parent_id: leaf.id }), 'metadata_invalid');
    await engine.departments.update(systemActor, side.id, { parent_id: null });
    const db = engine.database.db as unknown as Kysely<unknown>;
    const pairs = (query: RawBuilder<{ pair: string }>) => query.execute(db).then((r) => r.rows.map((row) => row.pair).sort());
    const stored = await pairs(sql<{ pair: string }>`select ancestor_id || '>' || department_id || ':' || depth as pair from crm_meta.department_closure`);
    const walked = await pairs(sql<{ pair: string }>`
      with recursive walk (ancestor_id, department_id, depth) as (
        select id, id, 0 from crm_meta.departments
        union all select w.ancestor_id, d.id, w.depth + 1 from walk w join crm_meta.departments d on d.parent_id = w.department_id)
      select ancestor_id || '>' || department_id || ':' || depth as pair from walk`);
    expect(stored).toEqual(walked);
    expect(stored).toContain(`${side.id}>${leaf.id}:1`);
    expect(stored).not.toContain(`${top.id}>${leaf.id}:2`);
  });

  it('manages users: roles by name, no unknown roles, no manager cycles, administrators only', async () => {
    const { engine } = harness();
    const boss = await engine.users.create(systemActor, { name: 'Boss', roles: ['administrator'] });
    const worker = await engine.users.create(systemActor, { name: 'Worker', manager_id: boss.id });
    expect(worker).toMatchObject({ manager_id: boss.id, roles: [], active: true });
    await expectCrmError(engine.users.update(systemActor, boss.id, { manager_id: worker.id }), 'validation_failed');
    await expectCrmError(engine.users.update(systemActor, worker.id, { roles: ['no_such_role'] }), 'validation_failed');
    await expectCrmError(engine.users.create(userActor(worker.id), { name: 'Sneaky' }), 'forbidden');
    await expectCrmError(engine.users.update(userActor(boss.id), boss.id, { roles: [] }), 'forbidden');
    const promoted = await engine.users.update(userActor(boss.id), worker.id, { roles: ['administrator'] });
    expect(promoted.roles).toEqual(['administrator']);
  });

  it('puts $user.department and $user.roles into rules', async () => {
    const { engine } = harness();
    const dept = await engine.departments.create(systemActor, { name: uniqueName('dept') });
    const name = uniqueName('ticket');
    await engine.objects.create(systemActor, { name, label: 'Ticket', fields: [{ name: 'team', type: 'lookup', label: 'Team', target: name }, { name: 'dept', type: 'text', label: 'D', default: { var: '$user.department' } }] });
    const roleName = uniqueName('agent');
    await engine.roles.create(systemActor, { name: roleName, label: 'Agent', objects: { [name]: { read: true, create: true } } });
    const agent = await engine.users.create(systemActor, { name: 'Agent', roles: [roleName], department_id: dept.id });
    const created = await engine.records.create(userActor(agent.id), name, {});
    expect(created.dept).toBe(dept.id);
    const page = await engine.records.list(userActor(agent.id), name, { filter: { in: [roleName, { var: '$user.roles' }] } });
    expect(page.data).toHaveLength(1);
  });
});
