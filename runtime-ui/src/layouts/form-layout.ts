import type { ClientFieldPlacement, ClientLayout, ClientLayoutSection, ClientObject } from '@crm/engine/core';

export type FormLayout = Extract<ClientLayout, { type: 'form' }>;

/**
 * The form layout of an object: the one named, else its first form layout, else a default of
 * one two-column section with every field the user may edit (system fields left out).
 */
export function formLayoutOf(object: ClientObject, name?: string): FormLayout {
  const forms = object.layouts.filter((layout): layout is FormLayout => layout.type === 'form');
  const chosen = (name ? forms.find((layout) => layout.name === name) : undefined) ?? forms[0];
  if (chosen) return chosen;
  const fields = object.fields.filter((field) => !field.system && field.mode === 'editable').map((field): ClientFieldPlacement => ({ field: field.name }));
  return { name: 'default', type: 'form', sections: [{ columns: 2, fields }] };
}

/** What a section and each of its fields look like for the record now. */
export interface SectionState {
  readonly section: ClientLayoutSection;
  readonly visible: boolean;
  readonly fields: readonly PlacementState[];
}

export interface PlacementState {
  readonly placement: ClientFieldPlacement;
  readonly visible: boolean;
  /** Not editable in this form: the placement says so, or its read_only_when holds (or was withheld). */
  readonly readOnly: boolean;
}

/**
 * A condition's answer for the record now. A condition that throws counts as not holding, as a
 * validation rule's failure does on the server.
 */
export type EvaluateCondition = (condition: unknown) => boolean;

/**
 * Which sections and fields show and which are locked, from the layout's conditions (`visible_when`
 * of sections and fields, `read_only_when` of fields). A withheld visibility condition shows the
 * part always; a withheld read-only condition locks the field (neither tells the hidden value).
 */
export function layoutState(layout: FormLayout, evaluate: EvaluateCondition): SectionState[] {
  const holds = (condition: unknown): boolean => {
    try {
      return evaluate(condition);
    } catch {
      return false;
    }
  };
  return layout.sections.map((section) => ({
    section,
    visible: section.visible_when === undefined || holds(section.visible_when),
    fields: section.fields.map((placement) => ({
      placement,
      visible: placement.visible_when === undefined || holds(placement.visible_when),
      readOnly: placement.read_only === true || placement.read_only_when_withheld === true || (placement.read_only_when !== undefined && holds(placement.read_only_when)),
    })),
  }));
}

/** Fields the user sees in the form now (hidden sections and fields left out). */
export function shownFields(states: readonly SectionState[]): Set<string> {
  const shown = new Set<string>();
  for (const state of states) if (state.visible) for (const field of state.fields) if (field.visible) shown.add(field.placement.field);
  return shown;
}

/**
 * Fields the form sends: placed, editable for the user and not locked by the layout. A field
 * hidden by its condition keeps (and sends) what it holds, so hiding never erases input.
 */
export function writableFields(object: ClientObject, states: readonly SectionState[]): Set<string> {
  const writable = new Set<string>();
  const editable = new Set(object.fields.filter((f) => f.mode === 'editable').map((f) => f.name));
  for (const state of states) {
    for (const field of state.fields) {
      if (!field.readOnly && editable.has(field.placement.field)) writable.add(field.placement.field);
    }
  }
  return writable;
}
