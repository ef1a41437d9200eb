import { fieldTypeOf, type ClientField, type ClientFieldDescriptor, type ClientObject, type FieldDefinition } from '@crm/engine/core';
import { cachedDescriptor } from '../../fields/display/display-context';
import { textOf } from '../../metadata/labels';
import type { UiLocale } from '../../i18n/i18n';

/** A column of the list: the field, how it displays, and what the user may do with it. */
export interface ListColumn {
  readonly name: string;
  readonly field: ClientField;
  readonly descriptor: ClientFieldDescriptor;
  readonly label: string;
  readonly sortable: boolean;
  /** Inline edit: the user may edit records and this field. */
  readonly editable: boolean;
  /** A reference shown by its title: requested with `expand`. */
  readonly expand: boolean;
  readonly numeric: boolean;
  readonly width: number;
  /** The object's title field: its cell links to the record page (the keyboard's way into a record). */
  readonly title: boolean;
}

const NUMERIC = new Set(['integer', 'decimal', 'currency', 'percent']);
const WIDE = new Set(['textarea', 'text', 'email', 'url', 'lookup', 'multiselect']);

export function fieldLabel(field: ClientField, locale: UiLocale): string {
  return textOf(field.label, locale, field.name);
}

export function listColumns(object: ClientObject, names: readonly string[], objects: readonly ClientObject[], locale: UiLocale): ListColumn[] {
  const byName = new Map(object.fields.map((field) => [field.name, field]));
  return names.flatMap((name) => {
    const field = byName.get(name);
    if (!field) return [];
    const descriptor = cachedDescriptor(field, objects);
    const numeric = NUMERIC.has(descriptor.widget) || (descriptor.valueKind === 'number' && descriptor.widget !== 'lookup');
    const reference = descriptor.widget === 'lookup' || descriptor.widget === 'user';
    return [
      {
        name,
        field,
        descriptor,
        label: fieldLabel(field, locale),
        sortable: fieldTypeOf(field as FieldDefinition).capabilities.sortable,
        editable: object.permissions.edit && field.mode === 'editable',
        expand: reference && field.target_readable !== false,
        numeric,
        width: name === object.title_field ? 240 : WIDE.has(descriptor.widget) ? 200 : 150,
        title: name === object.title_field,
      },
    ];
  });
}
