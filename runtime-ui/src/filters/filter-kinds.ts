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
