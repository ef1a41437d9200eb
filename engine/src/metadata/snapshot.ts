import type { Kysely } from 'kysely';
import type { ApprovalProcessDefinition } from '../approvals/types';
import type { WorkflowDefinition } from '../workflows/types';
import type { SystemDatabase } from '../db/system-tables';
import type { FieldDefinition, LayoutDefinition, ObjectDefinition, RoleDefinition, ValidationRuleDefinition, ViewDefinition } from './types';

/** Metadata exactly as stored, at one revision. Compiled into CompiledMetadata by compile.ts. */
export interface StoredField {
  readonly id: string;
  readonly position: number;
  readonly definition: FieldDefinition;
}
export interface StoredElement<D> {
  readonly id: string;
  readonly definition: D;
}
export interface StoredObject {
  readonly id: string;
  readonly tableName: string;
  readonly definition: ObjectDefinition;
  readonly deletedAt: string | null;
  readonly fields: readonly StoredField[];
  readonly layouts: readonly StoredElement<LayoutDefinition>[];
  readonly views: readonly StoredElement<ViewDefinition>[];
  readonly validationRules: readonly StoredElement<ValidationRuleDefinition>[];
  readonly approvalProcesses: readonly StoredElement<ApprovalProcessDefinition>[];
  readonly workflows: readonly StoredElement<WorkflowDefinition>[];
}
export interface StoredRole {
  readonly id: string;
  readonly definition: RoleDefinition;
}
export interface StoredDepartment {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
}
export interface MetadataSnapshot {
  readonly revision: number;
  readonly objects: readonly StoredObject[];
  readonly roles: readonly StoredRole[];
  readonly departments: readonly StoredDepartment[];
}

export async function readRevision(db: Kysely<SystemDatabase>): Promise<number> {
  const row = await db.selectFrom('crm_meta.state').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

/** Loads every object (live and in the recycle bin) with its fields, layouts and views. */
export async function loadSnapshot(db: Kysely<SystemDatabase>): Promise<MetadataSnapshot> {
  const [revision, objects, fields, layouts, views, roles, departments, validationRules, approvalProcesses, workflows] = await Promise.all([
    readRevision(db),
    db.selectFrom('crm_meta.objects').selectAll().orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('crm_meta.fields').selectAll().orderBy('position').orderBy('created_at').execute(),
    db.selectFrom('crm_meta.layouts').selectAll().orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('crm_meta.views').selectAll().orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('crm_meta.roles').select(['id', 'definition']).orderBy('name').execute(),
    db.selectFrom('crm_meta.departments').select(['id', 'name', 'parent_id']).orderBy('name').orderBy('id').execute(),
    // By name: the order rules run and report in does not depend on when they were written.
    db.selectFrom('crm_meta.validation_rules').select(['id', 'object_id', 'definition']).orderBy('name').execute(),
    // In creation order: without a named process, a submission takes the first active one that applies.
    db.selectFrom('crm_meta.approval_processes').select(['id', 'object_id', 'definition']).orderBy('created_at').orderBy('id').execute(),
    // By name: workflows of one event run in name order.
    db.selectFrom('crm_meta.workflows').select(['id', 'object_id', 'definition']).orderBy('name').execute(),
  ]);
  const group = <T extends { object_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.object_id, [...(map.get(row.object_id) ?? []), row]);
    return map;
  };
  const fieldsBy = group(fields);
  const layoutsBy = group(layouts);
  const viewsBy = group(views);
  const validationRulesBy = group(validationRules);
  const approvalProcessesBy = group(approvalProcesses);
  const workflowsBy = group(workflows);
  return {
    revision,
    roles: roles.map((r) => ({ id: r.id, definition: r.definition as RoleDefinition })),
    departments: departments.map((d) => ({ id: d.id, name: d.name, parentId: d.parent_id })),
    objects: objects.map((o) => ({
      id: o.id,
      tableName: o.table_name,
      definition: o.definition as ObjectDefinition,
      deletedAt: o.deleted_at,
      fields: (fieldsBy.get(o.id) ?? []).map((f) => ({ id: f.id, position: f.position, definition: f.definition as FieldDefinition })),
      layouts: (layoutsBy.get(o.id) ?? []).map((l) => ({ id: l.id, definition: l.definition as LayoutDefinition })),
      views: (viewsBy.get(o.id) ?? []).map((v) => ({ id: v.id, definition: v.definition as ViewDefinition })),
      validationRules: (validationRulesBy.get(o.id) ?? []).map((r) => ({ id: r.id, definition: r.definition as ValidationRuleDefinition })),
      approvalProcesses: (approvalProcessesBy.get(o.id) ?? []).map((p) => ({ id: p.id, definition: p.definition as ApprovalProcessDefinition })),
      workflows: (workflowsBy.get(o.id) ?? []).map((w) => ({ id: w.id, definition: w.definition as WorkflowDefinition })),
    })),
  };
}
