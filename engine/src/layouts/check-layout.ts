import type { KindCheckContext } from '../metadata/document-kind';
import { fieldsScope } from '../metadata/rule-scope';
import type { LayoutDefinition } from '../metadata/types';
import { reason } from '../errors';
import { recordReferenceOf } from '../field-types';

/** A placement's own conditions, checked like a section's visible_when. */
const PLACEMENT_CONDITIONS = ['visible_when', 'read_only_when'] as const;

/** The whole-graph check of a layout (moved from metadata/validate-graph.ts): placed fields, section rules, related lists. */
export function checkLayout(layout: LayoutDefinition, context: KindCheckContext): void {
  const { fields, objects: byName, fieldMaps } = context;
  const objectName = context.object.definition.name;
  const placed = new Set<string>();
  layout.sections.forEach((section, s) => {
    section.fields.forEach((placement, i) => {
      const path = `sections/${s}/fields/${i}/field`;
      if (!fields.has(placement.field)) context.report(layout.name, path, reason('not_a_field_of_named', { name: placement.field, object: objectName }));
      else if (placed.has(placement.field)) context.report(layout.name, path, reason('placed_twice', { name: placement.field }));
      placed.add(placement.field);
      if (placement.span !== undefined && placement.span > section.columns) {
        context.report(layout.name, `sections/${s}/fields/${i}/span`, reason('span_too_wide', { span: placement.span, columns: section.columns }));
      }
      for (const key of PLACEMENT_CONDITIONS) {
        const condition = placement[key];
        if (condition !== undefined) context.checkRule(layout.name, `sections/${s}/fields/${i}/${key}`, condition, fieldsScope(fields));
      }
    });
    if (section.visible_when !== undefined) context.checkRule(layout.name, `sections/${s}/visible_when`, section.visible_when, fieldsScope(fields));
  });
  if (layout.type !== 'detail') return;
  layout.related_lists?.forEach((list, i) => {
    const path = `related_lists/${i}`;
    const child = byName.get(list.object);
    if (!child) {
      context.report(layout.name, `${path}/object`, reason('object_missing', { name: list.object }));
      return;
    }
    const childFields = fieldMaps.get(list.object)!;
    const relation = childFields.get(list.field)?.definition;
    if (!relation || recordReferenceOf(relation)?.target !== objectName) {
      context.report(layout.name, `${path}/field`, reason('does_not_point_at', { field: list.field, object: list.object, target: objectName }));
    }
    context.checkFieldNames(layout.name, `${path}/columns`, list.columns, childFields, list.object);
    context.checkSort(layout.name, `${path}/sort`, list.sort, childFields, list.object);
  });
}
