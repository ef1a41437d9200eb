import { fieldTypeOf, type ClientField, type ClientFieldDescriptor, type FieldDefinition } from '@crm/engine/core';
import type { FilterKind } from './filter-tree';

const BY_WIDGET: Readonly<Record<string, FilterKind>> = {
  text: 'text',
  textarea: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  autonumber: 'text',
  integer: 'number',
  decimal: 'number',
  currency: 'number',
  percent: 'number',
  date: 'date',
  datetime: 'datetime',
  checkbox: 'boolean',
  select: 'select',
  multiselect: 'multiselect',
  lookup: 'reference',
  user: 'reference',
};

const BY_VALUE_KIND: Readonly<Record<string, FilterKind>> = { string: 'text', number: 'number', date: 'date', datetime: 'datetime', boolean: 'boolean', uuid: 'reference' };

/**
 * Which conditions the builder offers on a field: from its type's descriptor (widget, else the
 * kind of value a formula or rollup yields), and none when its type cannot be filtered (json).
 */
export function filterKindOf(field: ClientField, descriptor: ClientFieldDescriptor): FilterKind | undefined {
  if (!fieldTypeOf(field as FieldDefinition).capabilities.filterable) return undefined;
  return BY_WIDGET[descriptor.widget] ?? BY_VALUE_KIND[descriptor.valueKind];
}

/** A field the builder offers, with its label in the user's language. */
export interface FilterField {
  readonly name: string;
  readonly label: string;
  readonly kind: FilterKind;
  readonly field: ClientField;
  readonly descriptor: ClientFieldDescriptor;
}

const NOT_OFFERED = new Set(['id', 'version', 'deleted_at']);

/** Every field the user sees whose type can be filtered, except bookkeeping ones nobody filters by. */
export function filterFields(fields: readonly ClientField[], describe: (field: ClientField) => ClientFieldDescriptor, label: (field: ClientField) => string): FilterField[] {
  return fields.flatMap((field) => {
    if (NOT_OFFERED.has(field.name)) return [];
    const descriptor = describe(field);
    const kind = filterKindOf(field, descriptor);
    return kind ? [{ name: field.name, label: label(field), kind, field, descriptor }] : [];
  });
}
