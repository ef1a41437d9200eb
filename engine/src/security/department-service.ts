import type { Actor } from '../actors';
import { crmErrorOf } from '../db/pg-errors';
import { CrmError, validationError, type FieldIssue } from '../errors';
import { compileSchema, schemaReason } from '../metadata/ajv';
import type { MetadataChangeRunner, Revisioned } from '../metadata/change-runner';
import { describeDocument } from '../metadata/dependencies';
import { newId } from '../metadata/ids';
import type { Administration } from './administration';

export interface Department {
  readonly id: string;
  readonly name: string;
  readonly parent_id: string | null;
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const departmentSchema = compileSchema({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    parent_id: { anyOf: [{ type: 'null' }, { type: 'string', pattern: UUID }] },
  },
  additionalProperties: false,
});

function check(input: unknown, creating: boolean): { name?: string; parent_id?: string | null } {
  const issues: FieldIssue[] = [];
  if (!departmentSchema(input)) {
    for (const e of departmentSchema.errors ?? []) {
      if (e.keyword === 'additionalProperties') issues.push({ path: (e.params as { additionalProperty: string }).additionalProperty, code: 'unknown_field' });
      else issues.push({ path: e.instancePath.slice(1), code: 'invalid', params: { reason: schemaReason(e) } });
    }
  }
  if (creating && !(input as { name?: string } | null)?.name) issues.push({ path: 'name', code: 'required' });
  if (issues.length) throw validationError(issues);
  return input as { name?: string; parent_id?: string | null };
}

/**
 * Departments (部门) form one tree. Changing it changes who sees whose records ("own department
 * and below"), so every change is a metadata change: validated (no cycles), revisioned, notified.
 */
export class DepartmentService {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly administration: Administration,
  ) {}

  /** Every signed-in user may see the organisation's structure. */
  async list(actor: Actor): Promise<Department[]> {
    const access = await this.administration.access(actor);
    return access.metadata.security.departments.list().map((d) => ({ id: d.id, name: d.name, parent_id: d.parentId }));
  }

  async create(actor: Actor, input: unknown): Promise<Revisioned<Department>> {
    await this.administration.requireAdmin(actor, 'departments');
    const department = check(input, true);
    return this.runner.run(actor, { object: '', kind: 'department', name: department.name!, action: 'create' }, async ({ trx, before }) => {
      if (department.parent_id && !before.departments.some((d) => d.id === department.parent_id)) {
        throw validationError([{ path: 'parent_id', code: 'reference_not_found' }]);
      }
      const id = newId();
      await trx.insertInto('crm_meta.departments').values({ id, name: department.name!, parent_id: department.parent_id ?? null }).execute();
      return { result: { id, name: department.name!, parent_id: department.parent_id ?? null }, audited: { id } };
    });
  }

  async update(actor: Actor, id: string, input: unknown): Promise<Revisioned<Department>> {
    await this.administration.requireAdmin(actor, 'departments');
    const patch = check(input, false);
    // Graph issues name departments by name, so the subject must carry the name the change produces.
    const current = (await this.administration.access(actor)).metadata.security.departments.get(id);
    return this.runner.run(actor, { object: '', kind: 'department', name: patch.name ?? current?.name ?? id, action: 'change' }, async ({ trx, before }) => {
      const stored = before.departments.find((d) => d.id === id);
      if (!stored) throw new CrmError('department_not_found', { id });
      if (patch.parent_id && !before.departments.some((d) => d.id === patch.parent_id)) throw validationError([{ path: 'parent_id', code: 'reference_not_found' }]);
      const next = { name: patch.name ?? stored.name, parent_id: patch.parent_id === undefined ? stored.parentId : patch.parent_id };
      await trx.updateTable('crm_meta.departments').set({ ...next, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
      return { result: { id, ...next }, audited: { id } };
    });
  }

  /** Only an empty department (no sub-departments, no members) can be deleted. */
  async delete(actor: Actor, id: string): Promise<Revisioned<{ id: string }>> {
    await this.administration.requireAdmin(actor, 'departments');
    try {
      return await this.runner.run(actor, { object: '', kind: 'department', name: id, action: 'delete' }, async ({ trx, before }) => {
        if (!before.departments.some((d) => d.id === id)) throw new CrmError('department_not_found', { id });
        await trx.deleteFrom('crm_meta.departments').where('id', '=', id).execute();
        return { result: { id }, audited: { id } };
      });
    } catch (error) {
      throw crmErrorOf(error, {
        reference: (_pg, cause) =>
          new CrmError(
            'dependency_exists',
            { action: 'delete', subject: describeDocument({ kind: 'department', name: id }), dependents: { en: 'its sub-departments or members', 'zh-CN': '其下级部门或成员' } },
            [],
            { cause },
          ),
      });
    }
  }
}
