import type { DocumentUpdate } from '../metadata/document-kind';
import { changed, live, renameRuleVars } from '../metadata/references';
import type { MetadataSnapshot } from '../metadata/snapshot';
import type { FieldDefinition } from '../metadata/types';
import { fieldTypeOf, type DefinitionRename } from '../field-types';

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
      let def = renamedByType(field.definition, { kind: 'field', object: objectName, from, to, own });
      if (own && def.default !== undefined) def = { ...def, default: renameRuleVars(def.default, from, to) };
      if (changed(field.definition, def)) updates.push({ kind: 'field', id: field.id, definition: def });
    }
  }
  return updates;
}

export function fieldObjectRename(snapshot: MetadataSnapshot, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  for (const object of live(snapshot)) {
    for (const field of object.fields) {
      const def = renamedByType(field.definition, { kind: 'object', object: from, from, to, own: false });
      if (changed(field.definition, def)) updates.push({ kind: 'field', id: field.id, definition: def });
    }
  }
  return updates;
}

/** What the field's type renames in it: formula expressions, controlling fields, lookup targets, rollup children. */
function renamedByType(def: FieldDefinition, rename: Omit<DefinitionRename, 'renameVars'>): FieldDefinition {
  const type = fieldTypeOf(def);
  return type.renamed ? type.renamed(def, { ...rename, renameVars: (rule) => renameRuleVars(rule, rename.from, rename.to) }) : def;
}
