import type { ClientField, ClientObject, KanbanView, SelectOption } from '@crm/engine/core';
import { descriptorOf } from '../../fields/field-widget';

/**
 * What a kanban view's metadata makes of a board: a column per active option of its select field
 * (in the option order), the card fields the reader may see, and the number field whose total
 * each column shows. Nothing here knows the object.
 */
export interface BoardModel {
  readonly view: KanbanView;
  readonly group: ClientField;
  readonly columns: readonly SelectOption[];
  readonly cardFields: readonly ClientField[];
  /** The first currency card field, else the first number card field (null: counts only). */
  readonly sumField: ClientField | null;
  /** Reference card fields, expanded so cards show names rather than ids. */
  readonly expand: readonly string[];
  /** Whose value a card shows as its link (the object's title field when visible). */
  readonly titleField: ClientField | null;
}

export function boardModel(object: ClientObject, view: KanbanView, objects: readonly ClientObject[]): BoardModel | null {
  const group = object.fields.find((f) => f.name === view.group_by);
  if (!group) return null;
  const descriptor = descriptorOf(group, objects);
  const options = (descriptor.options as readonly SelectOption[] | undefined) ?? [];
  const byName = new Map(object.fields.map((f) => [f.name, f]));
  const cardFields = view.card_fields.map((name) => byName.get(name)).filter((f): f is ClientField => f !== undefined && f.name !== group.name);
  const described = cardFields.map((field) => ({ field, descriptor: descriptorOf(field, objects) }));
  const sumField =
    described.find((d) => d.descriptor.widget === 'currency')?.field ??
    described.find((d) => d.field.value_kind === 'number' && !d.field.system)?.field ??
    null;
  const expand = described.filter((d) => (d.descriptor.widget === 'lookup' || d.descriptor.widget === 'user') && d.field.target_readable !== false).map((d) => d.field.name);
  const titleField = object.title_field ? (byName.get(object.title_field) ?? null) : null;
  return { view, group, columns: options.filter((o) => o.active !== false), cardFields, sumField, expand, titleField };
}

/** The records of one column: the view's filter and the column's value. */
export function columnFilter(view: KanbanView, value: string): unknown {
  const own = { '==': [{ var: view.group_by }, value] };
  return view.filter ? { and: [view.filter, own] } : own;
}

/** The view's sort as the list API spells it (`-amount,title`), newest first without one. */
export function sortParam(view: KanbanView): string {
  if (!view.sort?.length) return '-created_at';
  return view.sort.map((s) => `${s.direction === 'desc' ? '-' : ''}${s.field}`).join(',');
}

/** The fields a card reads: its fields, the column field (to move it), the title. */
export function cardSelection(model: BoardModel): string[] {
  return [...new Set([model.group.name, ...(model.titleField ? [model.titleField.name] : []), ...model.cardFields.map((f) => f.name), 'version'])];
}

/** The first column holding cards (a phone opens the board there, not on an empty first stage). */
export function firstFilledColumn(columns: readonly { readonly value: string }[], counts: ReadonlyMap<string | null, { readonly count: number }>): string | undefined {
  return columns.find((column) => (counts.get(column.value)?.count ?? 0) > 0)?.value;
}
