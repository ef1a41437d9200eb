import { validationRuleReads } from '../core/compile-validation-rules';
import type { ClientFieldPlacement, ClientLayout, ClientLayoutSection, ClientRollupField, ClientView, WithheldPart } from '../core/client-projection-types';
import type {
  FieldDefinition,
  FieldPlacement,
  LayoutDefinition,
  LayoutSection,
  ObjectDefinition,
  RelatedList,
  RollupField,
  SelectOption,
  SortSpec,
  ValidationRuleDefinition,
  ViewDefinition,
} from '../metadata/types';
import { aggregateOf } from '../field-types';
import type { ActorAccess } from './actor-access';

/**
 * What one actor may see of the metadata documents: the one policy behind both the client
 * projection (GET /api/meta/client) and the metadata reads (GET /api/meta/objects/...).
 *
 * A field hidden from the actor appears nowhere, not even by name. Where a document merely
 * lists it (placements, columns, card fields, sort keys, a rule's target fields) the entry is
 * dropped. Where a rule READS it (a default, a section's visible_when, a validation rule, a view
 * filter, a dependent picklist's controlling field, a rollup's filter) the rule is left out
 * rather than rewritten, because evaluating it, or even reading it, tells the hidden value; the
 * server, which sees everything, keeps applying it. What is left out of a document that stays is
 * marked (`withheld`, `visible_when_withheld`) so a reader knows the server may say more.
 * `hidden` is always the actor's ObjectAccess.hidden of the document's object.
 */

/** Whether the actor sees every document as stored (administrators, the system actor; not a scoped token). */
export function seesAllMetadata(access: ActorAccess): boolean {
  return access.unrestricted && !access.subject.tokenScopes;
}

/** Whether a rule reads any of `hidden` (`$old.<field>` counts as the field; `$user`, `$now`, `$today` never do). */
export function readsHidden(rule: unknown, hidden: ReadonlySet<string>): boolean {
  if (rule === undefined || hidden.size === 0) return false;
  for (const field of validationRuleReads(rule)) if (hidden.has(field)) return true;
  return false;
}

/** The object's own settings: a hidden title field is left out (the UI falls back to the id). */
export function visibleObject(definition: ObjectDefinition, hidden: ReadonlySet<string>): ObjectDefinition {
  if (definition.title_field === undefined || !hidden.has(definition.title_field)) return definition;
  const { title_field: _title, ...rest } = definition;
  return rest;
}

/** A field's definition as an actor sees it: what reads or names a hidden field is left out and listed in `withheld`. */
export type VisibleFieldDefinition = (Exclude<FieldDefinition, RollupField> | ClientRollupField) & {
  readonly withheld?: readonly WithheldPart[];
};

/** A field the actor may see (hidden fields, and formulas and rollups that reveal them, are left out by the caller). */
export function visibleField(access: ActorAccess, def: FieldDefinition, hidden: ReadonlySet<string>): VisibleFieldDefinition {
  const withheld: WithheldPart[] = [];
  let definition = { ...def } as Record<string, unknown>;
  if (readsHidden(def.default, hidden)) {
    delete definition.default;
    withheld.push('default');
  }
  if ('options' in def && def.controlling_field !== undefined && hidden.has(def.controlling_field)) {
    // The options' valid_for lists are values of the hidden controlling field: they go with it.
    const options = def.options.map(({ valid_for: _validFor, ...option }): SelectOption => option);
    delete definition.controlling_field;
    definition = { ...definition, options };
    withheld.push('controlling_field');
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
  if (withheld.length === 0) return def;
  return { ...definition, withheld } as unknown as VisibleFieldDefinition;
}

export function visibleSort(sort: readonly SortSpec[] | undefined, hidden: ReadonlySet<string>): { sort?: readonly SortSpec[] } {
  if (sort === undefined) return {};
  return { sort: sort.filter((s) => !hidden.has(s.field)) };
}

/** A placement whose conditions read only visible fields; one reading a hidden field is left out and marked. */
function visiblePlacement(placement: FieldPlacement, hidden: ReadonlySet<string>): ClientFieldPlacement {
  const showsHidden = readsHidden(placement.visible_when, hidden);
  const locksHidden = readsHidden(placement.read_only_when, hidden);
  if (!showsHidden && !locksHidden) return placement;
  const { visible_when: visibleWhen, read_only_when: readOnlyWhen, ...rest } = placement;
  return {
    ...rest,
    ...(showsHidden ? { visible_when_withheld: true as const } : visibleWhen !== undefined ? { visible_when: visibleWhen } : {}),
    ...(locksHidden ? { read_only_when_withheld: true as const } : readOnlyWhen !== undefined ? { read_only_when: readOnlyWhen } : {}),
  };
}

function visibleSection(section: LayoutSection, hidden: ReadonlySet<string>): ClientLayoutSection | undefined {
  const fields = section.fields.filter((p) => !hidden.has(p.field)).map((p) => visiblePlacement(p, hidden));
  // A section left with nothing the actor may see shows nothing: it goes (its label would only say something is there).
  if (fields.length === 0) return undefined;
  if (!readsHidden(section.visible_when, hidden)) return { ...section, fields };
  // Shown always: showing or hiding it by a hidden value would tell the value.
  const { visible_when: _condition, ...rest } = section;
  return { ...rest, fields, visible_when_withheld: true };
}

/** A layout without hidden placements, sections left empty, related lists of unreadable children or through hidden lookups. */
export function visibleLayout(access: ActorAccess, layout: LayoutDefinition, hidden: ReadonlySet<string>): ClientLayout {
  const sections = layout.sections.flatMap((s) => visibleSection(s, hidden) ?? []);
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

/**
 * A view, pruned; undefined when it cannot be shown without a hidden field. A filter reading one
 * drops the view: the client sends a view's filter to the records API itself, which refuses a
 * hidden field from this actor, and showing the view without it would list other records than
 * its name promises.
 */
export function visibleView(view: ViewDefinition, hidden: ReadonlySet<string>): ClientView | undefined {
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

/**
 * A validation rule without the hidden fields it points at; undefined when its condition reads
 * one (its name, message and condition would tell what the hidden value must be). `reads` is
 * what the condition reads, when the caller has it compiled already.
 */
export function visibleValidationRule(
  rule: ValidationRuleDefinition,
  hidden: ReadonlySet<string>,
  reads: ReadonlySet<string> = validationRuleReads(rule.condition),
): ValidationRuleDefinition | undefined {
  if (hidden.size === 0) return rule;
  for (const field of reads) if (hidden.has(field)) return undefined;
  return { ...rule, fields: rule.fields.filter((f) => !hidden.has(f)) };
}
