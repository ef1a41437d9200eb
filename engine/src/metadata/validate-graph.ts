import type { MetadataKind } from '../db/audit-entries';
import { isCrmError, reason, type CrmError, type ReasonData } from '../errors';
import { validateRule } from '../rules';
import { compileFilterToSql } from '../rules/sql';
import type { RuleScope } from '../rules/scope';
import type { CompiledField } from './compiled';
import { compileSnapshotFields, type SnapshotFields } from './compile';
import type { DocumentKinds, KindCheckContext } from './document-kind';
import type { MetadataSnapshot } from './snapshot';
import type { SortSpec } from './types';

/**
 * Checks what JSON Schema cannot: that every name a document uses exists and fits, across the
 * whole metadata. Every change is checked this way before its DDL runs, so a change that would
 * break another document (a formula reading a deleted field) is refused with that document named.
 * Objects, roles and departments are checked here; every other kind of document by its
 * DocumentKind.check, in the registry's order.
 */
export interface GraphIssue {
  /** The object the document belongs to ('' for organisation-wide documents: roles, departments). */
  readonly object: string;
  readonly kind: MetadataKind;
  readonly name: string;
  readonly path: string;
  readonly reason: ReasonData;
}

/** `fields`: the snapshot's compiled fields, when the caller compiled them already (a change compiles them once, for this check and its compiled metadata). */
export function validateGraph(snapshot: MetadataSnapshot, kinds: DocumentKinds, fields: SnapshotFields = compileSnapshotFields(snapshot)): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const objects = snapshot.objects.filter((o) => o.deletedAt === null);
  const byName = new Map(objects.map((o) => [o.definition.name, o]));
  const fieldMaps = new Map([...fields].map(([name, compiled]) => [name, compiled.fieldsByName]));

  issues.push(...roleIssues(snapshot, fieldMaps));
  const roleNames = new Set(snapshot.roles.map((r) => r.definition.name));
  const departmentIds = new Set(snapshot.departments.map((d) => d.id));
  issues.push(...departmentIssues(snapshot));

  for (const object of objects) {
    const objectName = object.definition.name;
    const fields = fieldMaps.get(objectName)!;
    const report = (kind: MetadataKind, name: string, path: string, why: ReasonData) => issues.push({ object: objectName, kind, name, path, reason: why });

    // Object
    const title = object.definition.title_field;
    if (title !== undefined) {
      const f = fields.get(title);
      if (!f || f.system) report('object', objectName, 'title_field', reason('not_a_field_of_named', { name: title, object: objectName }));
      else if (!f.type.nameable) report('object', objectName, 'title_field', reason('type_cannot_name_records', { type: f.definition.type }));
    }

    // Every kind of document attached to the object: fields, layouts, views, rules, processes, workflows...
    for (const kind of kinds.all()) {
      if (!kind.check) continue;
      const at = (name: string, path: string, why: ReasonData) => report(kind.kind, name, path, why);
      const context: KindCheckContext = {
        snapshot,
        object,
        fields,
        objects: byName,
        fieldMaps,
        roleNames,
        departmentIds,
        report: at,
        checkRule(name, path, rule, scope, sqlScope) {
          checkRule(at, name, path, rule, scope, sqlScope);
        },
        checkFieldNames(name, path, names, map = fields, label = objectName) {
          const seen = new Set<string>();
          names.forEach((n, i) => {
            if (!map.has(n)) at(name, `${path}/${i}`, reason('not_a_field_of_named', { name: n, object: label }));
            if (seen.has(n)) at(name, `${path}/${i}`, reason('named_twice', { name: n }));
            seen.add(n);
          });
        },
        checkSort(name, path, sort: readonly SortSpec[] | undefined, map = fields, label = objectName) {
          sort?.forEach((s, i) => {
            const f = map.get(s.field);
            if (!f) at(name, `${path}/${i}/field`, reason('not_a_field_of_named', { name: s.field, object: label }));
            else if (!f.type.capabilities.sortable) at(name, `${path}/${i}/field`, reason('named_not_sortable', { name: s.field, type: f.definition.type }));
          });
        },
      };
      kind.check(context);
    }
  }
  return issues;
}

/** A rule over known variables only, and (given sqlScope) one that translates to SQL. */
function checkRule(
  report: (name: string, path: string, why: ReasonData) => void,
  name: string,
  path: string,
  rule: unknown,
  scope: RuleScope,
  sqlScope?: RuleScope,
): void {
  try {
    validateRule(rule, scope);
  } catch (error) {
    if (!isCrmError(error)) throw error;
    if (error.fields.length === 0) report(name, path, whyRefused(error));
    for (const issue of error.fields) report(name, `${path}${issue.path}`, issue.params?.reason ?? whyRefused(error));
    return;
  }
  if (sqlScope) {
    try {
      compileFilterToSql(rule, sqlScope);
    } catch (error) {
      if (!isCrmError(error)) throw error;
      report(name, path, whyRefused(error));
    }
  }
}

/** Why a rule was refused, worded as the refusal's message was (a rule that cannot run in SQL says why). */
function whyRefused(error: CrmError): ReasonData {
  if (error.code === 'filter_not_translatable' && error.params.reason) return reason('filter_cannot_run', { reason: error.params.reason });
  return error.params.summary ?? reason('not_valid');
}

const SCOPE_ORDER = ['own', 'department', 'department_and_below', 'all'];

/** Roles may name only live objects and their fields, and never edit wider than they read. */
function roleIssues(snapshot: MetadataSnapshot, fieldMaps: ReadonlyMap<string, ReadonlyMap<string, CompiledField>>): GraphIssue[] {
  const issues: GraphIssue[] = [];
  for (const { definition: role } of snapshot.roles) {
    const at = (path: string, why: ReasonData) => issues.push({ object: '', kind: 'role', name: role.name, path, reason: why });
    for (const [objectName, permission] of Object.entries(role.objects)) {
      const fields = objectName === '*' ? undefined : fieldMaps.get(objectName);
      if (objectName !== '*' && !fields) at(`objects/${objectName}`, reason('object_missing', { name: objectName }));
      const read = permission.read_scope ?? 'all';
      const edit = permission.edit_scope ?? read;
      if (SCOPE_ORDER.indexOf(edit) > SCOPE_ORDER.indexOf(read)) at(`objects/${objectName}/edit_scope`, reason('scope_wider_than', { other: 'read_scope' }));
      for (const op of ['edit', 'delete', 'export'] as const) {
        if (permission[op] && !permission.read) at(`objects/${objectName}/${op}`, reason('permission_needs', { operation: op, needed: 'read' }));
      }
      for (const [field, mode] of Object.entries(permission.fields ?? {})) {
        if (objectName === '*') {
          at(`objects/*/fields/${field}`, reason('field_modes_need_object'));
          continue;
        }
        const compiled = fields?.get(field);
        if (fields && !compiled) at(`objects/${objectName}/fields/${field}`, reason('not_a_field_of_named', { name: field, object: objectName }));
        else if (field === 'id' && mode === 'hidden') at(`objects/${objectName}/fields/${field}`, reason('field_cannot_be_hidden', { field: 'id' }));
      }
    }
  }
  return issues;
}

function departmentIssues(snapshot: MetadataSnapshot): GraphIssue[] {
  const byId = new Map(snapshot.departments.map((d) => [d.id, d]));
  const issues: GraphIssue[] = [];
  for (const department of snapshot.departments) {
    const seen = new Set<string>([department.id]);
    let parent = department.parentId ? byId.get(department.parentId) : undefined;
    if (department.parentId && !parent) issues.push({ object: '', kind: 'department', name: department.name, path: 'parent_id', reason: reason('parent_department_missing') });
    while (parent) {
      if (seen.has(parent.id)) {
        issues.push({ object: '', kind: 'department', name: department.name, path: 'parent_id', reason: reason('department_under_itself') });
        break;
      }
      seen.add(parent.id);
      parent = parent.parentId ? byId.get(parent.parentId) : undefined;
    }
  }
  return issues;
}
