import { isCrmError } from '../errors';
import { validateRule } from '../rules';
import { compileFilterToSql } from '../rules/sql';
import type { RuleScope } from '../rules/scope';
import { SYSTEM_USER_ID } from '../actors';
import type { CompiledField } from './compiled';
import { compileField, snapshotTypeContext } from './compile';
import { fieldsScope, ruleReads, type RuleContext } from './rule-scope';
import type { MetadataSnapshot, StoredObject } from './snapshot';
import { systemFieldDefinitions } from './system-fields';
import { validationRuleScope } from '../validation-rules/scope';
import { checkApprovalProcess } from '../approvals/check-process';
import { checkWorkflow } from '../workflows/check-workflow';
import type { FieldDefinition, FormulaField, LayoutDefinition, RollupField, SelectOption, SortSpec, ViewDefinition } from './types';

/**
 * Checks what JSON Schema cannot: that every name a document uses exists and fits, across the
 * whole metadata. Every change is checked this way before its DDL runs, so a change that would
 * break another document (a formula reading a deleted field) is refused with that document named.
 */
export interface GraphIssue {
  /** The object the document belongs to ('' for organisation-wide documents: roles, departments). */
  readonly object: string;
  readonly kind: 'object' | 'field' | 'layout' | 'view' | 'role' | 'department' | 'user' | 'validation_rule' | 'approval_process' | 'workflow';
  readonly name: string;
  readonly path: string;
  readonly reason: string;
}

const SAMPLE_CONTEXT: RuleContext = { user: { id: SYSTEM_USER_ID }, now: new Date(0) };
const TITLE_TYPES = new Set(['text', 'email', 'phone', 'url', 'autonumber', 'formula', 'select', 'integer']);

function isLiteral(rule: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return true;
  if (Array.isArray(rule)) return rule.every(isLiteral);
  return false;
}

export function validateGraph(snapshot: MetadataSnapshot): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const typeContext = snapshotTypeContext(snapshot);
  const objects = snapshot.objects.filter((o) => o.deletedAt === null);
  const byName = new Map(objects.map((o) => [o.definition.name, o]));
  const fieldMaps = new Map<string, Map<string, CompiledField>>();
  for (const object of objects) {
    const fields = [
      ...systemFieldDefinitions(object.definition.name).map((d) => compileField(d, null, true, typeContext)),
      ...object.fields.map((f) => compileField(f.definition, f.id, false, typeContext)),
    ];
    fieldMaps.set(object.definition.name, new Map(fields.map((f) => [f.name, f])));
  }

  issues.push(...roleIssues(snapshot, fieldMaps));
  const roleNames = new Set(snapshot.roles.map((r) => r.definition.name));
  issues.push(...departmentIssues(snapshot));

  for (const object of objects) {
    const objectName = object.definition.name;
    const fields = fieldMaps.get(objectName)!;
    const report = (kind: GraphIssue['kind'], name: string, path: string, reason: string) =>
      issues.push({ object: objectName, kind, name, path, reason });

    const checkRule = (kind: GraphIssue['kind'], name: string, path: string, rule: unknown, scope: RuleScope, sqlScope?: RuleScope) => {
      try {
        validateRule(rule, scope);
      } catch (error) {
        if (!isCrmError(error)) throw error;
        if (error.fields.length === 0) report(kind, name, path, error.message);
        for (const issue of error.fields) report(kind, name, `${path}${issue.path}`, String(issue.params?.reason ?? error.message));
        return;
      }
      if (sqlScope) {
        try {
          compileFilterToSql(rule, sqlScope);
        } catch (error) {
          if (!isCrmError(error)) throw error;
          report(kind, name, path, error.message);
        }
      }
    };
    const checkFieldNames = (kind: GraphIssue['kind'], name: string, path: string, names: readonly string[], map = fields, label = objectName) => {
      const seen = new Set<string>();
      names.forEach((n, i) => {
        if (!map.has(n)) report(kind, name, `${path}/${i}`, `"${n}" is not a field of ${label}`);
        if (seen.has(n)) report(kind, name, `${path}/${i}`, `"${n}" appears twice`);
        seen.add(n);
      });
    };
    const checkSort = (kind: GraphIssue['kind'], name: string, path: string, sort: readonly SortSpec[] | undefined, map = fields, label = objectName) => {
      sort?.forEach((s, i) => {
        const f = map.get(s.field);
        if (!f) report(kind, name, `${path}/${i}/field`, `"${s.field}" is not a field of ${label}`);
        else if (!f.type.capabilities.sortable) report(kind, name, `${path}/${i}/field`, `"${s.field}" (${f.definition.type}) cannot be sorted`);
      });
    };

    // Object
    const title = object.definition.title_field;
    if (title !== undefined) {
      const f = fields.get(title);
      if (!f || f.system) report('object', objectName, 'title_field', `"${title}" is not a field of ${objectName}`);
      else if (!TITLE_TYPES.has(f.definition.type)) report('object', objectName, 'title_field', `a ${f.definition.type} field cannot name records`);
    }

    // Fields
    for (const stored of object.fields) {
      const def = stored.definition;
      const field = fields.get(def.name)!;
      const at = (path: string, reason: string) => report('field', def.name, path, reason);
      for (const issue of field.type.check?.(def) ?? []) at(issue.path, issue.reason);
      const caps = field.type.capabilities;
      if (def.unique && !caps.unique) at('unique', `a ${def.type} field cannot be unique`);
      if (def.indexed && !caps.indexable) at('indexed', `a ${def.type} field cannot be indexed`);
      if (def.required && !caps.requirable) at('required', `a ${def.type} field cannot be required`);
      if (def.searchable && !caps.searchable) at('searchable', `a ${def.type} field cannot be searched as text`);
      if (def.default !== undefined) {
        if (!caps.defaultable) at('default', `a ${def.type} field cannot have a default`);
        else if (isLiteral(def.default)) {
          if (def.default !== null) {
            const normalized = validateLiteral(field, def.default);
            if (normalized) at('default', normalized);
          }
        } else checkRule('field', def.name, 'default', def.default, fieldsScope(fields, { exclude: def.name }));
      }
      checkFieldSpecifics(def, object, byName, fieldMaps, at, checkRule);
    }
    for (const cycle of formulaCycles(object)) report('field', cycle[0]!, 'expression', `formulas read each other in a cycle: ${cycle.join(' -> ')}`);

    // Layouts
    for (const { definition: layout } of object.layouts) {
      checkLayout(layout, objectName, fields, byName, fieldMaps, report, checkRule, checkFieldNames, checkSort);
    }
    // Views
    for (const { definition: view } of object.views) {
      checkView(view, objectName, fields, report, checkRule, checkFieldNames, checkSort);
    }
    // Validation rules: the fields they point at, and a condition over known variables only.
    for (const { definition: rule } of object.validationRules) {
      checkFieldNames('validation_rule', rule.name, 'fields', rule.fields);
      checkRule('validation_rule', rule.name, 'condition', rule.condition, validationRuleScope(fields));
    }
    // Approval processes: criteria and field updates over known fields, roles and user fields that exist.
    for (const { definition: process } of object.approvalProcesses) {
      checkApprovalProcess(
        process,
        fields,
        roleNames,
        (path, reason) => report('approval_process', process.name, path, reason),
        (path, rule) => checkRule('approval_process', process.name, path, rule, fieldsScope(fields)),
      );
    }
    // Workflows: fields, objects, roles, departments and processes that exist; rules over known variables.
    for (const { definition: workflow } of object.workflows) {
      checkWorkflow(workflow, {
        object,
        fields,
        fieldMaps,
        roleNames,
        departmentIds: new Set(snapshot.departments.map((d) => d.id)),
        report: (path, reason) => report('workflow', workflow.name, path, reason),
        checkRule: (path, rule, scope, sqlScope) => checkRule('workflow', workflow.name, path, rule, scope, sqlScope),
      });
    }
  }
  return issues;
}

type Report = (kind: GraphIssue['kind'], name: string, path: string, reason: string) => void;
type CheckRule = (kind: GraphIssue['kind'], name: string, path: string, rule: unknown, scope: RuleScope, sqlScope?: RuleScope) => void;
type CheckNames = (kind: GraphIssue['kind'], name: string, path: string, names: readonly string[], map?: Map<string, CompiledField>, label?: string) => void;
type CheckSort = (kind: GraphIssue['kind'], name: string, path: string, sort: readonly SortSpec[] | undefined, map?: Map<string, CompiledField>, label?: string) => void;

function validateLiteral(field: CompiledField, value: unknown): string | undefined {
  if (!field.type.capabilities.input) return undefined;
  const result = field.type.normalize(value, field.definition, { previous: undefined });
  if (!result.ok) return `default ${JSON.stringify(value)} is not ${field.type.expected}`;
  return undefined;
}

function checkFieldSpecifics(
  def: FieldDefinition,
  object: StoredObject,
  byName: Map<string, StoredObject>,
  fieldMaps: Map<string, Map<string, CompiledField>>,
  at: (path: string, reason: string) => void,
  checkRule: CheckRule,
): void {
  const objectName = object.definition.name;
  const fields = fieldMaps.get(objectName)!;
  switch (def.type) {
    case 'lookup':
    case 'master_detail':
      if (!byName.has(def.target)) at('target', `object "${def.target}" does not exist`);
      if (def.type === 'master_detail' && def.target === objectName) at('target', 'a record cannot be its own master; use a lookup');
      break;
    case 'select':
    case 'multiselect': {
      if (def.controlling_field === undefined) {
        if (def.options.some((o) => o.valid_for)) at('options', 'valid_for needs a controlling_field');
        break;
      }
      const controlling = fields.get(def.controlling_field);
      if (!controlling || controlling.system) {
        at('controlling_field', `"${def.controlling_field}" is not a field of ${objectName}`);
        break;
      }
      if (def.controlling_field === def.name) at('controlling_field', 'a field cannot control itself');
      const cdef = controlling.definition;
      const allowed =
        cdef.type === 'select' ? new Set(cdef.options.map((o: SelectOption) => o.value)) : cdef.type === 'boolean' ? new Set(['true', 'false']) : undefined;
      if (!allowed) {
        at('controlling_field', 'the controlling field must be a select or a yes/no field');
        break;
      }
      def.options.forEach((option, i) =>
        option.valid_for?.forEach((v, j) => {
          if (!allowed.has(v)) at(`options/${i}/valid_for/${j}`, `"${v}" is not a value of ${def.controlling_field}`);
        }),
      );
      break;
    }
    case 'formula':
      checkRule('field', def.name, 'expression', def.expression, fieldsScope(fields, { exclude: def.name }), undefined);
      break;
    case 'rollup':
      checkRollup(def, objectName, byName, fieldMaps, at, checkRule);
      break;
    default:
      break;
  }
}

function checkRollup(
  def: RollupField,
  objectName: string,
  byName: Map<string, StoredObject>,
  fieldMaps: Map<string, Map<string, CompiledField>>,
  at: (path: string, reason: string) => void,
  checkRule: CheckRule,
): void {
  if (!byName.has(def.child_object)) {
    at('child_object', `object "${def.child_object}" does not exist`);
    return;
  }
  const childFields = fieldMaps.get(def.child_object)!;
  const relation = childFields.get(def.relationship_field);
  if (!relation || relation.system) at('relationship_field', `"${def.relationship_field}" is not a field of ${def.child_object}`);
  else if ((relation.definition.type !== 'lookup' && relation.definition.type !== 'master_detail') || relation.definition.target !== objectName) {
    at('relationship_field', `"${def.relationship_field}" of ${def.child_object} does not point at ${objectName}`);
  }
  if (def.aggregate !== 'count' && def.aggregate_field !== undefined) {
    const aggregated = childFields.get(def.aggregate_field);
    if (!aggregated) at('aggregate_field', `"${def.aggregate_field}" is not a field of ${def.child_object}`);
    else if (!aggregated.column) at('aggregate_field', `"${def.aggregate_field}" is computed on read and cannot be aggregated`);
    else if (def.aggregate === 'sum' && aggregated.kind !== 'number') at('aggregate_field', 'sum needs a number field');
    else if (!['number', 'date', 'datetime'].includes(aggregated.kind)) at('aggregate_field', `${def.aggregate} needs a number or date field`);
  }
  if (def.filter !== undefined) {
    // Stored values must not depend on who reads them or when: no $user / $now / $today.
    const scope = fieldsScope(childFields, { allowContext: false });
    checkRule('field', def.name, 'filter', def.filter, scope, scope);
  }
}

function formulaCycles(object: StoredObject): string[][] {
  const formulas = new Map(
    object.fields.filter((f) => f.definition.type === 'formula').map((f) => [f.definition.name, ruleReads((f.definition as FormulaField).expression)]),
  );
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(name)), name]);
      return;
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const read of formulas.get(name) ?? []) if (formulas.has(read)) visit(read);
    stack.pop();
    state.set(name, 'done');
  };
  [...formulas.keys()].forEach(visit);
  return cycles;
}

function checkLayout(
  layout: LayoutDefinition,
  objectName: string,
  fields: Map<string, CompiledField>,
  byName: Map<string, StoredObject>,
  fieldMaps: Map<string, Map<string, CompiledField>>,
  report: Report,
  checkRule: CheckRule,
  checkNames: CheckNames,
  checkSort: CheckSort,
): void {
  const placed = new Set<string>();
  layout.sections.forEach((section, s) => {
    section.fields.forEach((placement, i) => {
      const path = `sections/${s}/fields/${i}/field`;
      if (!fields.has(placement.field)) report('layout', layout.name, path, `"${placement.field}" is not a field of ${objectName}`);
      else if (placed.has(placement.field)) report('layout', layout.name, path, `"${placement.field}" is placed twice`);
      placed.add(placement.field);
      if (placement.span !== undefined && placement.span > section.columns) {
        report('layout', layout.name, `sections/${s}/fields/${i}/span`, `spans ${placement.span} columns of a ${section.columns}-column section`);
      }
    });
    if (section.visible_when !== undefined) checkRule('layout', layout.name, `sections/${s}/visible_when`, section.visible_when, fieldsScope(fields));
  });
  if (layout.type !== 'detail') return;
  layout.related_lists?.forEach((list, i) => {
    const path = `related_lists/${i}`;
    const child = byName.get(list.object);
    if (!child) {
      report('layout', layout.name, `${path}/object`, `object "${list.object}" does not exist`);
      return;
    }
    const childFields = fieldMaps.get(list.object)!;
    const relation = childFields.get(list.field)?.definition;
    if (!relation || (relation.type !== 'lookup' && relation.type !== 'master_detail') || relation.target !== objectName) {
      report('layout', layout.name, `${path}/field`, `"${list.field}" of ${list.object} does not point at ${objectName}`);
    }
    checkNames('layout', layout.name, `${path}/columns`, list.columns, childFields, list.object);
    checkSort('layout', layout.name, `${path}/sort`, list.sort, childFields, list.object);
  });
}

function checkView(
  view: ViewDefinition,
  objectName: string,
  fields: Map<string, CompiledField>,
  report: Report,
  checkRule: CheckRule,
  checkNames: CheckNames,
  checkSort: CheckSort,
): void {
  if (view.type === 'list') {
    checkNames('view', view.name, 'columns', view.columns);
  } else {
    const group = fields.get(view.group_by);
    if (!group) report('view', view.name, 'group_by', `"${view.group_by}" is not a field of ${objectName}`);
    else if (group.definition.type !== 'select') report('view', view.name, 'group_by', 'a kanban groups by a select field');
    checkNames('view', view.name, 'card_fields', view.card_fields);
  }
  if (view.filter !== undefined) {
    checkRule('view', view.name, 'filter', view.filter, fieldsScope(fields), fieldsScope(fields, { context: SAMPLE_CONTEXT }));
  }
  checkSort('view', view.name, 'sort', view.sort);
}

const SCOPE_ORDER = ['own', 'department', 'department_and_below', 'all'];

/** Roles may name only live objects and their fields, and never edit wider than they read. */
function roleIssues(snapshot: MetadataSnapshot, fieldMaps: Map<string, Map<string, CompiledField>>): GraphIssue[] {
  const issues: GraphIssue[] = [];
  for (const { definition: role } of snapshot.roles) {
    const at = (path: string, reason: string) => issues.push({ object: '', kind: 'role', name: role.name, path, reason });
    for (const [objectName, permission] of Object.entries(role.objects)) {
      const fields = objectName === '*' ? undefined : fieldMaps.get(objectName);
      if (objectName !== '*' && !fields) at(`objects/${objectName}`, `object "${objectName}" does not exist`);
      const read = permission.read_scope ?? 'all';
      const edit = permission.edit_scope ?? read;
      if (SCOPE_ORDER.indexOf(edit) > SCOPE_ORDER.indexOf(read)) at(`objects/${objectName}/edit_scope`, 'may not reach further than read_scope');
      for (const op of ['edit', 'delete', 'export'] as const) {
        if (permission[op] && !permission.read) at(`objects/${objectName}/${op}`, `${op} needs read`);
      }
      for (const [field, mode] of Object.entries(permission.fields ?? {})) {
        if (objectName === '*') {
          at(`objects/*/fields/${field}`, 'field modes need a named object');
          continue;
        }
        const compiled = fields?.get(field);
        if (fields && !compiled) at(`objects/${objectName}/fields/${field}`, `"${field}" is not a field of ${objectName}`);
        else if (field === 'id' && mode === 'hidden') at(`objects/${objectName}/fields/${field}`, 'the id cannot be hidden');
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
    if (department.parentId && !parent) issues.push({ object: '', kind: 'department', name: department.name, path: 'parent_id', reason: 'the parent department does not exist' });
    while (parent) {
      if (seen.has(parent.id)) {
        issues.push({ object: '', kind: 'department', name: department.name, path: 'parent_id', reason: 'a department cannot sit under itself' });
        break;
      }
      seen.add(parent.id);
      parent = parent.parentId ? byId.get(parent.parentId) : undefined;
    }
  }
  return issues;
}
