import type { DocumentKinds, DocumentUpdate } from './document-kind';
import type { StoredObject, MetadataSnapshot } from './snapshot';
import type { RoleDefinition, SortSpec } from '../documents/types';
import { mapRuleVarPaths } from '../rules/var-paths';

export { mapRuleVarPaths };

/**
 * Where metadata documents name each other, for renames (rewrite every reference in the same
 * transaction) and deletes (refuse while something still depends on the thing, except places
 * that merely display it, which are cleaned up). Objects and roles are rewritten here; every
 * other kind of document by its DocumentKind (renameField, renameObject, removeField).
 */

export type { DocumentUpdate } from './document-kind';

/** Rewrites `var` paths (and missing/missing_some names) whose first segment is `from`. */
export function renameRuleVars(rule: unknown, from: string, to: string): unknown {
  return mapRuleVarPaths(rule, (path) => {
    const [head, ...rest] = path.split('.');
    return head === from ? [to, ...rest].join('.') : path;
  });
}

export const renameIn = (names: readonly string[], from: string, to: string) => names.map((n) => (n === from ? to : n));
export const renameSort = (sort: readonly SortSpec[] | undefined, from: string, to: string) =>
  sort?.map((s) => (s.field === from ? { ...s, field: to } : s));

export function changed<T>(before: T, after: T): boolean {
  return JSON.stringify(before) !== JSON.stringify(after);
}

export function live(snapshot: MetadataSnapshot): readonly StoredObject[] {
  return snapshot.objects.filter((o) => o.deletedAt === null);
}

/** Every document that names field `from` of `objectName`, rewritten to name `to`. */
export function fieldRenameUpdates(snapshot: MetadataSnapshot, kinds: DocumentKinds, objectName: string, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [...roleFieldRename(snapshot, objectName, from, to)];
  for (const object of live(snapshot)) {
    if (object.definition.name === objectName && object.definition.title_field === from) {
      updates.push({ kind: 'object', id: object.id, definition: { ...object.definition, title_field: to } });
    }
  }
  for (const kind of kinds.all()) updates.push(...(kind.renameField?.(snapshot, objectName, from, to) ?? []));
  return updates;
}

/** Every document that names object `from`, rewritten to name `to`. */
export function objectRenameUpdates(snapshot: MetadataSnapshot, kinds: DocumentKinds, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [...roleObjectRename(snapshot, from, to)];
  for (const kind of kinds.all()) updates.push(...(kind.renameObject?.(snapshot, from, to) ?? []));
  return updates;
}

/** Places that only display a field: cleaned up when the field goes. */
export function fieldDisplayRemovals(snapshot: MetadataSnapshot, kinds: DocumentKinds, objectName: string, fieldName: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [...roleFieldRemoval(snapshot, objectName, fieldName)];
  for (const kind of kinds.all()) updates.push(...(kind.removeField?.(snapshot, objectName, fieldName) ?? []));
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
