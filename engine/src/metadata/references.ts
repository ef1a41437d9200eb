import type { ApprovalProcessDefinition } from '../approvals/types';
import { approvalProcessFieldRename } from '../approvals/process-references';
import type { WorkflowDefinition } from '../workflows/types';
import { workflowFieldRename, workflowObjectRename } from '../workflows/workflow-references';
import type { StoredObject, MetadataSnapshot } from './snapshot';
import type {
  FieldDefinition,
  LayoutDefinition,
  LayoutSection,
  ObjectDefinition,
  RelatedList,
  SortSpec,
  RoleDefinition,
  ValidationRuleDefinition,
  ViewDefinition,
} from './types';
import { mapRuleVarPaths } from '../rules/var-paths';

export { mapRuleVarPaths };

/**
 * Where metadata documents name each other, for renames (rewrite every reference in the same
 * transaction) and deletes (refuse while something still depends on the thing, except places
 * that merely display it, which are cleaned up).
 */

/** Rewrites `var` paths (and missing/missing_some names) whose first segment is `from`. */
export function renameRuleVars(rule: unknown, from: string, to: string): unknown {
  return mapRuleVarPaths(rule, (path) => {
    const [head, ...rest] = path.split('.');
    return head === from ? [to, ...rest].join('.') : path;
  });
}

/** A metadata document to write back after a rename or cleanup. */
export type DocumentUpdate =
  | { readonly kind: 'object'; readonly id: string; readonly definition: ObjectDefinition }
  | { readonly kind: 'field'; readonly id: string; readonly definition: FieldDefinition }
  | { readonly kind: 'layout'; readonly id: string; readonly definition: LayoutDefinition }
  | { readonly kind: 'view'; readonly id: string; readonly definition: ViewDefinition }
  | { readonly kind: 'role'; readonly id: string; readonly definition: RoleDefinition }
  | { readonly kind: 'validation_rule'; readonly id: string; readonly definition: ValidationRuleDefinition }
  | { readonly kind: 'approval_process'; readonly id: string; readonly definition: ApprovalProcessDefinition }
  | { readonly kind: 'workflow'; readonly id: string; readonly definition: WorkflowDefinition };

const renameIn = (names: readonly string[], from: string, to: string) => names.map((n) => (n === from ? to : n));
const renameSort = (sort: readonly SortSpec[] | undefined, from: string, to: string) =>
  sort?.map((s) => (s.field === from ? { ...s, field: to } : s));
const renameSections = (sections: readonly LayoutSection[], from: string, to: string): LayoutSection[] =>
  sections.map((section) => ({
    ...section,
    fields: section.fields.map((p) => (p.field === from ? { ...p, field: to } : p)),
    ...(section.visible_when !== undefined ? { visible_when: renameRuleVars(section.visible_when, from, to) } : {}),
  }));

function changed<T>(before: T, after: T): boolean {
  return JSON.stringify(before) !== JSON.stringify(after);
}

function live(snapshot: MetadataSnapshot): readonly StoredObject[] {
  return snapshot.objects.filter((o) => o.deletedAt === null);
}

/** Every document that names field `from` of `objectName`, rewritten to name `to`. */
export function fieldRenameUpdates(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [
    ...roleFieldRename(snapshot, objectName, from, to),
    ...validationRuleFieldRename(snapshot, objectName, from, to),
    ...approvalProcessFieldRename(snapshot, objectName, from, to),
    ...workflowFieldRename(snapshot, objectName, from, to),
  ];
  for (const object of live(snapshot)) {
    const own = object.definition.name === objectName;
    if (own && object.definition.title_field === from) {
      updates.push({ kind: 'object', id: object.id, definition: { ...object.definition, title_field: to } });
    }
    for (const field of object.fields) {
      let def: FieldDefinition = field.definition;
      if (own) {
        if (def.type === 'formula') def = { ...def, expression: renameRuleVars(def.expression, from, to) };
        if (def.default !== undefined) def = { ...def, default: renameRuleVars(def.default, from, to) };
        if ((def.type === 'select' || def.type === 'multiselect') && def.controlling_field === from) def = { ...def, controlling_field: to };
      }
      if (def.type === 'rollup' && def.child_object === objectName) {
        def = {
          ...def,
          relationship_field: def.relationship_field === from ? to : def.relationship_field,
          ...(def.aggregate_field !== undefined ? { aggregate_field: def.aggregate_field === from ? to : def.aggregate_field } : {}),
          ...(def.filter !== undefined ? { filter: renameRuleVars(def.filter, from, to) } : {}),
        };
      }
      if (changed(field.definition, def)) updates.push({ kind: 'field', id: field.id, definition: def });
    }
    for (const layout of object.layouts) {
      let def: LayoutDefinition = layout.definition;
      if (own) def = { ...def, sections: renameSections(def.sections, from, to) } as LayoutDefinition;
      if (def.type === 'detail' && def.related_lists) {
        def = {
          ...def,
          related_lists: def.related_lists.map(
            (list): RelatedList =>
              list.object === objectName
                ? {
                    ...list,
                    field: list.field === from ? to : list.field,
                    columns: renameIn(list.columns, from, to),
                    ...(list.sort ? { sort: renameSort(list.sort, from, to)! } : {}),
                  }
                : list,
          ),
        };
      }
      if (changed(layout.definition, def)) updates.push({ kind: 'layout', id: layout.id, definition: def });
    }
    if (own) {
      for (const view of object.views) {
        const v = view.definition;
        const def: ViewDefinition =
          v.type === 'list'
            ? { ...v, columns: renameIn(v.columns, from, to) }
            : { ...v, group_by: v.group_by === from ? to : v.group_by, card_fields: renameIn(v.card_fields, from, to) };
        const withRules = {
          ...def,
          ...(v.filter !== undefined ? { filter: renameRuleVars(v.filter, from, to) } : {}),
          ...(v.sort ? { sort: renameSort(v.sort, from, to) } : {}),
        } as ViewDefinition;
        if (changed(v, withRules)) updates.push({ kind: 'view', id: view.id, definition: withRules });
      }
    }
  }
  return updates;
}

/** Every document that names object `from`, rewritten to name `to`. */
export function objectRenameUpdates(snapshot: MetadataSnapshot, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [...roleObjectRename(snapshot, from, to), ...workflowObjectRename(snapshot, from, to)];
  for (const object of live(snapshot)) {
    for (const field of object.fields) {
      const def = field.definition;
      if ((def.type === 'lookup' || def.type === 'master_detail') && def.target === from) {
        updates.push({ kind: 'field', id: field.id, definition: { ...def, target: to } });
      } else if (def.type === 'rollup' && def.child_object === from) {
        updates.push({ kind: 'field', id: field.id, definition: { ...def, child_object: to } });
      }
    }
    for (const layout of object.layouts) {
      const def = layout.definition;
      if (def.type === 'detail' && def.related_lists?.some((l) => l.object === from)) {
        updates.push({
          kind: 'layout',
          id: layout.id,
          definition: { ...def, related_lists: def.related_lists.map((l) => (l.object === from ? { ...l, object: to } : l)) },
        });
      }
    }
  }
  return updates;
}

/** Places that only display a field: cleaned up when the field goes. */
export function fieldDisplayRemovals(snapshot: MetadataSnapshot, objectName: string, fieldName: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [...roleFieldRemoval(snapshot, objectName, fieldName), ...validationRuleFieldRemoval(snapshot, objectName, fieldName)];
  for (const object of live(snapshot)) {
    const own = object.definition.name === objectName;
    for (const layout of object.layouts) {
      let def: LayoutDefinition = layout.definition;
      if (own) {
        def = { ...def, sections: def.sections.map((s) => ({ ...s, fields: s.fields.filter((p) => p.field !== fieldName) })) } as LayoutDefinition;
      }
      if (def.type === 'detail' && def.related_lists) {
        def = {
          ...def,
          related_lists: def.related_lists.map((l) =>
            l.object === objectName && l.columns.includes(fieldName) && l.columns.length > 1
              ? { ...l, columns: l.columns.filter((c) => c !== fieldName) }
              : l,
          ),
        };
      }
      if (changed(layout.definition, def)) updates.push({ kind: 'layout', id: layout.id, definition: def });
    }
    if (own) {
      for (const view of object.views) {
        const v = view.definition;
        let def: ViewDefinition = v;
        if (v.type === 'list' && v.columns.includes(fieldName) && v.columns.length > 1) def = { ...v, columns: v.columns.filter((c) => c !== fieldName) };
        if (v.type === 'kanban' && v.card_fields.includes(fieldName) && v.card_fields.length > 1) {
          def = { ...v, card_fields: v.card_fields.filter((c) => c !== fieldName) };
        }
        if (changed(v, def)) updates.push({ kind: 'view', id: view.id, definition: def });
      }
    }
  }
  return updates;
}

/** Roles' entries for an object or one of its fields, renamed or removed. */
function rewriteRoles(
  snapshot: MetadataSnapshot,
  rewrite: (objects: RoleDefinition['objects']) => RoleDefinition['objects'],
): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  for (const role of snapshot.roles) {
    const objects = rewrite(role.definition.objects);
    if (changed(role.definition.objects, objects)) updates.push({ kind: 'role', id: role.id, definition: { ...role.definition, objects } });
  }
  return updates;
}

export function roleFieldRename(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  return rewriteRoles(snapshot, (objects) => {
    const permission = objects[objectName];
    if (!permission?.fields || !(from in permission.fields)) return objects;
    const fields = Object.fromEntries(Object.entries(permission.fields).map(([k, v]) => [k === from ? to : k, v]));
    return { ...objects, [objectName]: { ...permission, fields } };
  });
}

export function roleFieldRemoval(snapshot: MetadataSnapshot, objectName: string, field: string): DocumentUpdate[] {
  return rewriteRoles(snapshot, (objects) => {
    const permission = objects[objectName];
    if (!permission?.fields || !(field in permission.fields)) return objects;
    const { [field]: _removed, ...fields } = permission.fields;
    return { ...objects, [objectName]: { ...permission, fields } };
  });
}

export function roleObjectRename(snapshot: MetadataSnapshot, from: string, to: string): DocumentUpdate[] {
  return rewriteRoles(snapshot, (objects) => (from in objects ? Object.fromEntries(Object.entries(objects).map(([k, v]) => [k === from ? to : k, v])) : objects));
}

export function roleObjectRemoval(snapshot: MetadataSnapshot, objectName: string): DocumentUpdate[] {
  return rewriteRoles(snapshot, (objects) => {
    if (!(objectName in objects)) return objects;
    const { [objectName]: _removed, ...rest } = objects;
    return rest;
  });
}

/** Validation rules of the object: the fields they point at and their condition (`$old.<field>` too) follow a rename. */
export function validationRuleFieldRename(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  const object = live(snapshot).find((o) => o.definition.name === objectName);
  const renamePath = (path: string): string => {
    const old = path.startsWith('$old.');
    const [head, ...tail] = (old ? path.slice('$old.'.length) : path).split('.');
    return head === from ? [old ? `$old.${to}` : to, ...tail].join('.') : path;
  };
  const updates: DocumentUpdate[] = [];
  for (const rule of object?.validationRules ?? []) {
    const def: ValidationRuleDefinition = { ...rule.definition, fields: renameIn(rule.definition.fields, from, to), condition: mapRuleVarPaths(rule.definition.condition, renamePath) };
    if (changed(rule.definition, def)) updates.push({ kind: 'validation_rule', id: rule.id, definition: def });
  }
  return updates;
}

/** A deleted field stops being pointed at; a condition that reads it blocks the delete (validate-graph). */
export function validationRuleFieldRemoval(snapshot: MetadataSnapshot, objectName: string, field: string): DocumentUpdate[] {
  const object = live(snapshot).find((o) => o.definition.name === objectName);
  return (object?.validationRules ?? [])
    .filter((rule) => rule.definition.fields.includes(field))
    .map((rule): DocumentUpdate => ({ kind: 'validation_rule', id: rule.id, definition: { ...rule.definition, fields: rule.definition.fields.filter((f) => f !== field) } }));
}
