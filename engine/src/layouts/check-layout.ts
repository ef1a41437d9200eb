import type { KindCheckContext } from '../metadata/document-kind';
import { fieldsScope } from '../metadata/rule-scope';
import type { LayoutDefinition } from '../metadata/types';

/** The whole-graph check of a layout (moved from metadata/validate-graph.ts): placed fields, section rules, related lists. */
export function checkLayout(layout: LayoutDefinition, context: KindCheckContext): void {
  const { fields, objects: byName, fieldMaps } = context;
  const objectName = context.object.definition.name;
  const placed = new Set<string>();
  layout.sections.forEach((section, s) => {
    section.fields.forEach((placement, i) => {
      const path = `sections/${s}/fields/${i}/field`;
      if (!fields.has(placement.field)) context.report(layout.name, path, `"${placement.field}" is not a field of ${objectName}`);
      else if (placed.has(placement.field)) context.report(layout.name, path, `"${placement.field}" is placed twice`);
      placed.add(placement.field);
      if (placement.span !== undefined && placement.span > section.columns) {
        context.report(layout.name, `sections/${s}/fields/${i}/span`, `spans ${placement.span} columns of a ${section.columns}-column section`);
      }
    });
    if (section.visible_when !== undefined) context.checkRule(layout.name, `sections/${s}/visible_when`, section.visible_when, fieldsScope(fields));
  });
  if (layout.type !== 'detail') return;
  layout.related_lists?.forEach((list, i) => {
    const path = `related_lists/${i}`;
    const child = byName.get(list.object);
    if (!child) {
      context.report(layout.name, `${path}/object`, `object "${list.object}" does not exist`);
      return;
    }
    const childFields = fieldMaps.get(list.object)!;
    const relation = childFields.get(list.field)?.definition;
    if (!relation || (relation.type !== 'lookup' && relation.type !== 'master_detail') || relation.target !== objectName) {
      context.report(layout.name, `${path}/field`, `"${list.field}" of ${list.object} does not point at ${objectName}`);
    }
    context.checkFieldNames(layout.name, `${path}/columns`, list.columns, childFields, list.object);
    context.checkSort(layout.name, `${path}/sort`, list.sort, childFields, list.object);
  });
}
