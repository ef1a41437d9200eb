import { SYSTEM_USER_ID } from '../actors';
import type { KindCheckContext } from '../metadata/document-kind';
import { fieldsScope, type RuleContext } from '../metadata/rule-scope';
import type { ViewDefinition } from '../metadata/types';
import { reason } from '../errors';

/** A filter must also translate to SQL for some user and time: a sample one. */
const SAMPLE_CONTEXT: RuleContext = { user: { id: SYSTEM_USER_ID }, now: new Date(0) };

/** The whole-graph check of a view (moved from metadata/validate-graph.ts): columns, grouping, filter and sort. */
export function checkView(view: ViewDefinition, context: KindCheckContext): void {
  const { fields } = context;
  const objectName = context.object.definition.name;
  if (view.type === 'list') {
    context.checkFieldNames(view.name, 'columns', view.columns);
  } else {
    const group = fields.get(view.group_by);
    if (!group) context.report(view.name, 'group_by', reason('not_a_field_of_named', { name: view.group_by, object: objectName }));
    // One column per option, one option per card: a field with options holding a single value.
    else if (!('options' in group.definition) || group.kind !== 'string') context.report(view.name, 'group_by', reason('kanban_needs_select'));
    context.checkFieldNames(view.name, 'card_fields', view.card_fields);
  }
  if (view.filter !== undefined) {
    context.checkRule(view.name, 'filter', view.filter, fieldsScope(fields), fieldsScope(fields, { context: SAMPLE_CONTEXT }));
  }
  context.checkSort(view.name, 'sort', view.sort);
}
