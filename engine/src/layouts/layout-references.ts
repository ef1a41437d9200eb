import type { DocumentUpdate } from '../metadata/document-kind';
import { changed, live, renameIn, renameRuleVars, renameSort } from '../metadata/references';
import type { MetadataSnapshot } from '../metadata/snapshot';
import type { FieldPlacement, LayoutDefinition, LayoutSection, RelatedList } from '../metadata/types';

/**
 * Renames followed through layouts (moved from metadata/references.ts): placed fields and section
 * rules of the object's layouts, and related lists of other objects' layouts that show its records.
 * A deleted field is removed from where layouts only display it.
 */

const renamePlacement = (placement: FieldPlacement, from: string, to: string): FieldPlacement => ({
  ...placement,
  ...(placement.visible_when !== undefined ? { visible_when: renameRuleVars(placement.visible_when, from, to) } : {}),
  ...(placement.read_only_when !== undefined ? { read_only_when: renameRuleVars(placement.read_only_when, from, to) } : {}),
});

const renameSections = (sections: readonly LayoutSection[], from: string, to: string): LayoutSection[] =>
  sections.map((section) => ({
    ...section,
    fields: section.fields.map((p) => renamePlacement(p.field === from ? { ...p, field: to } : p, from, to)),
    ...(section.visible_when !== undefined ? { visible_when: renameRuleVars(section.visible_when, from, to) } : {}),
  }));

export function layoutFieldRename(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  for (const object of live(snapshot)) {
    const own = object.definition.name === objectName;
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
  }
  return updates;
}

export function layoutObjectRename(snapshot: MetadataSnapshot, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  for (const object of live(snapshot)) {
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

export function layoutFieldRemoval(snapshot: MetadataSnapshot, objectName: string, fieldName: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
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
  }
  return updates;
}
