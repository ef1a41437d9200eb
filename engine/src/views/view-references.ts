import type { DocumentUpdate } from '../metadata/document-kind';
import { changed, live, renameIn, renameRuleVars, renameSort } from '../metadata/references';
import type { MetadataSnapshot } from '../metadata/snapshot';
import type { ViewDefinition } from '../metadata/types';

/**
 * Renames followed through the object's views (moved from metadata/references.ts): columns,
 * grouping, card fields, filter and sort. A deleted field is removed from the columns and cards
 * that only display it (never the last one).
 */
export function viewFieldRename(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  const object = live(snapshot).find((o) => o.definition.name === objectName);
  for (const view of object?.views ?? []) {
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
  return updates;
}

export function viewFieldRemoval(snapshot: MetadataSnapshot, objectName: string, fieldName: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  const object = live(snapshot).find((o) => o.definition.name === objectName);
  for (const view of object?.views ?? []) {
    const v = view.definition;
    let def: ViewDefinition = v;
    if (v.type === 'list' && v.columns.includes(fieldName) && v.columns.length > 1) def = { ...v, columns: v.columns.filter((c) => c !== fieldName) };
    if (v.type === 'kanban' && v.card_fields.includes(fieldName) && v.card_fields.length > 1) {
      def = { ...v, card_fields: v.card_fields.filter((c) => c !== fieldName) };
    }
    if (changed(v, def)) updates.push({ kind: 'view', id: view.id, definition: def });
  }
  return updates;
}
