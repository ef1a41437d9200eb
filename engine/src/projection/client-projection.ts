import type { ApprovalProcessDefinition } from '../approvals/types';
import type { CompiledField, CompiledObject } from '../metadata/compiled';
import type { LayoutDefinition, LayoutSection, RelatedList, SelectOption, SortSpec, ViewDefinition } from '../metadata/types';
import { aggregateOf, recordReferenceOf } from '../field-types';
import { usable } from '../objects/object-service';
import type { ActorAccess, ObjectAccess } from '../security/actor-access';
import { validationRuleReads } from '../validation-rules/compile-validation-rules';
import type {
  ClientApprovalProcess,
  ClientField,
  ClientLayout,
  ClientLayoutSection,
  ClientObject,
  ClientPermissions,
  ClientValidationRule,
  ClientValueKind,
  ClientView,
  WithheldPart,
} from './client-projection-types';

/**
 * Builds the objects part of the client projection from one actor's access. Everything here is
 * a function of the metadata revision and the actor's grants (roles, token scopes), never of who
 * the actor is, so one result serves everyone with the same grants.
 *
 * The rule throughout: a field hidden from the actor appears nowhere, not even by name. Where a
 * document merely lists it (placements, columns, card fields, sort keys) the entry is dropped.
 * Where a rule READS it (a default, a section's visible_when, a validation rule, a view filter,
 * a dependent picklist's controlling field, an approval's entry criteria) the rule is left out
 * rather than rewritten, because any evaluation of it in the browser would leak the hidden
 * value; the server, which sees everything, keeps applying it. What is left out is marked
 * (`withheld`, `visible_when_withheld`, `entry_criteria_withheld`, `server_only_rules`) so the
 * UI knows the server may say more than it can check.
 */
export function projectObjects(access: ActorAccess): ClientObject[] {
  const objects: ClientObject[] = [];
  for (const object of access.metadata.objects()) {
    if (!usable(access, object.name)) continue;
    objects.push(projectObject(access, object));
  }
  return objects;
}

function projectObject(access: ActorAccess, object: CompiledObject): ClientObject {
  const own = access.object(object.name);
  const hidden = own.hidden;
  const definition = { ...object.definition };
  if (definition.title_field !== undefined && hidden.has(definition.title_field)) delete (definition as { title_field?: string }).title_field;
  const rules = validationRules(object, hidden);
  return {
    ...definition,
    permissions: permissions(own),
    fields: object.fields.filter((f) => !hidden.has(f.name)).map((f) => clientField(access, own, f)),
    layouts: [...object.layouts.values()].map((layout) => clientLayout(access, layout, hidden)),
    views: [...object.views.values()].flatMap((view) => clientView(view, hidden) ?? []),
    validation_rules: rules.visible,
    server_only_rules: rules.withheld,
    approval_processes: [...object.approvalProcesses.values()].filter((p) => p.active).map((p) => approvalProcess(p, own)),
  };
}

function permissions(own: ObjectAccess): ClientPermissions {
  return {
    create: own.create,
    read: own.read,
    edit: own.edit,
    delete: own.delete,
    export: own.export,
    // The transfer route updates owner_id: it needs edit and an owner_id the actor may write.
    transfer: own.edit && own.mode('owner_id') === 'editable',
    read_scope: own.readScope,
    edit_scope: own.editScope,
  };
}

/** Whether a rule reads any of `hidden` (`$old.<field>` counts as the field; `$user`, `$now`, `$today` never do). */
function readsHidden(rule: unknown, hidden: ReadonlySet<string>): boolean {
  if (rule === undefined || hidden.size === 0) return false;
  for (const field of validationRuleReads(rule)) if (hidden.has(field)) return true;
  return false;
}

function clientField(access: ActorAccess, own: ObjectAccess, field: CompiledField): ClientField {
  const withheld: WithheldPart[] = [];
  let definition = { ...field.definition } as Record<string, unknown>;
  let readOnly = !field.writable || own.mode(field.name) === 'read_only';
  let targetUnreadable = false;
  const def = field.definition;

  if (readsHidden(def.default, own.hidden)) {
    delete definition.default;
    withheld.push('default');
  }
  if ('options' in def && def.controlling_field !== undefined && own.hidden.has(def.controlling_field)) {
    // The options' valid_for lists are values of the hidden controlling field: they go with it.
    const options = def.options.map(({ valid_for: _validFor, ...option }): SelectOption => option);
    delete definition.controlling_field;
    definition = { ...definition, options };
    withheld.push('controlling_field');
  }
  // System fields (id) are typed as references to their own object; nobody picks them.
  const reference = field.system ? undefined : recordReferenceOf(def);
  if (reference) {
    const target = access.metadata.findObject(reference.target);
    // The API answers such a value as a bare `{id}` and refuses every record the actor could pick.
    if (!target || !access.object(target.name).read) {
      targetUnreadable = true;
      readOnly = true;
    }
  }
  const rollup = aggregateOf(def);
  if (rollup) {
    const child = access.metadata.findObject(rollup.child_object);
    // A rollup whose child is unreadable, or whose aggregated field is hidden, is hidden itself (ActorAccess).
    const childHidden = child ? access.object(child.name).hidden : new Set<string>();
    if (childHidden.has(rollup.relationship_field)) {
      delete definition.relationship_field;
      withheld.push('relationship_field');
    }
    if (readsHidden(rollup.filter, childHidden)) {
      delete definition.filter;
      withheld.push('filter');
    }
  }
  // Typed so that a new engine value kind fails to compile here until the client type knows it.
  const valueKind: ClientValueKind = field.kind;
  return {
    ...(definition as unknown as ClientField),
    mode: readOnly ? 'read_only' : 'editable',
    system: field.system,
    value_kind: valueKind,
    ...(targetUnreadable ? { target_readable: false as const } : {}),
    ...(withheld.length ? { withheld } : {}),
  };
}

function visibleSort(sort: readonly SortSpec[] | undefined, hidden: ReadonlySet<string>): { sort?: readonly SortSpec[] } {
  if (sort === undefined) return {};
  return { sort: sort.filter((s) => !hidden.has(s.field)) };
}

function clientSection(section: LayoutSection, hidden: ReadonlySet<string>): ClientLayoutSection | undefined {
  const fields = section.fields.filter((p) => !hidden.has(p.field));
  // A section left with nothing the actor may see shows nothing: it goes (its label would only say something is there).
  if (fields.length === 0) return undefined;
  if (!readsHidden(section.visible_when, hidden)) return { ...section, fields };
  // Shown always: showing or hiding it by a hidden value would tell the value.
  const { visible_when: _condition, ...rest } = section;
  return { ...rest, fields, visible_when_withheld: true };
}

function clientLayout(access: ActorAccess, layout: LayoutDefinition, hidden: ReadonlySet<string>): ClientLayout {
  const sections = layout.sections.flatMap((s) => clientSection(s, hidden) ?? []);
  if (layout.type !== 'detail' || layout.related_lists === undefined) return { ...layout, sections };
  const related_lists = layout.related_lists.flatMap((list): RelatedList[] => {
    const child = access.metadata.findObject(list.object);
    if (!child) return [];
    const childAccess = access.object(child.name);
    if (!childAccess.read || childAccess.hidden.has(list.field)) return [];
    const columns = list.columns.filter((c) => !childAccess.hidden.has(c));
    if (columns.length === 0) return [];
    return [{ ...list, columns, ...visibleSort(list.sort, childAccess.hidden) }];
  });
  return { ...layout, sections, related_lists };
}

/** A view, pruned; undefined when it cannot be shown without a hidden field (see ClientObject.views). */
function clientView(view: ViewDefinition, hidden: ReadonlySet<string>): ClientView | undefined {
  if (readsHidden(view.filter, hidden)) return undefined;
  if (view.type === 'list') {
    const columns = view.columns.filter((c) => !hidden.has(c));
    return columns.length === 0 ? undefined : { ...view, columns, ...visibleSort(view.sort, hidden) };
  }
  const cardFields = view.card_fields.filter((c) => !hidden.has(c));
  // A board grouped by a hidden field would sort cards by its value; one with no card field left shows nothing.
  if (hidden.has(view.group_by) || cardFields.length === 0) return undefined;
  return { ...view, card_fields: cardFields, ...visibleSort(view.sort, hidden) };
}

function validationRules(object: CompiledObject, hidden: ReadonlySet<string>): { visible: ClientValidationRule[]; withheld: number } {
  const visible: ClientValidationRule[] = [];
  let withheld = 0;
  // The compiled list holds the active rules in the order the server runs them.
  for (const compiled of object.activeValidationRules) {
    const rule = object.validationRules.get(compiled.name);
    if (!rule) continue;
    if ([...compiled.reads].some((f) => hidden.has(f))) {
      withheld += 1;
      continue;
    }
    visible.push({
      name: rule.name,
      ...(rule.label !== undefined ? { label: rule.label } : {}),
      condition: rule.condition,
      message: rule.message,
      fields: rule.fields.filter((f) => !hidden.has(f)),
    });
  }
  return { visible, withheld };
}

function approvalProcess(process: ApprovalProcessDefinition, own: ObjectAccess): ClientApprovalProcess {
  const withheld = readsHidden(process.entry_criteria, own.hidden);
  return {
    name: process.name,
    label: process.label,
    ...(process.description !== undefined ? { description: process.description } : {}),
    // Submitting needs edit on the object (ApprovalService.submit); the record's own scope is checked there.
    may_submit: own.edit,
    ...(withheld ? { entry_criteria_withheld: true as const } : { entry_criteria: process.entry_criteria }),
  };
}
