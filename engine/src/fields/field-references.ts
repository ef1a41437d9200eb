import type { DocumentUpdate } from '../metadata/document-kind';
import { changed, live, renameRuleVars } from '../metadata/references';
import type { MetadataSnapshot } from '../metadata/snapshot';
import type { FieldDefinition } from '../metadata/types';

/**
 * Renames followed through fields (moved from metadata/references.ts): a field of the object is
 * renamed in its formulas, defaults and controlling fields, and in the rollups that aggregate it;
 * a renamed object in the lookups that target it and the rollups over it.
 */
export function fieldFieldRename(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  for (const object of live(snapshot)) {
    const own = object.definition.name === objectName;
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
  }
  return updates;
}

export function fieldObjectRename(snapshot: MetadataSnapshot, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  for (const object of live(snapshot)) {
    for (const field of object.fields) {
      const def = field.definition;
      if ((def.type === 'lookup' || def.type === 'master_detail') && def.target === from) {
        updates.push({ kind: 'field', id: field.id, definition: { ...def, target: to } });
      } else if (def.type === 'rollup' && def.child_object === from) {
        updates.push({ kind: 'field', id: field.id, definition: { ...def, child_object: to } });
      }
    }
  }
  return updates;
}
