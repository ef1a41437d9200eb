import { fieldTypeOf, type ClientField, type ClientFieldDescriptor, type ClientObject, type FieldDefinition, type TypeContext } from '@crm/engine/core';

/**
 * What a field renders as comes from its type module's client descriptor (`widget`: text,
 * currency, select, lookup...), never from comparing type names here: a new field type brings
 * its descriptor, and the widget registries (FieldInput, FieldValue) key on it.
 */
export function descriptorOf(field: ClientField, objects: readonly ClientObject[]): ClientFieldDescriptor {
  const context: TypeContext = {
    field: (object, name) => objects.find((o) => o.name === object)?.fields.find((f) => f.name === name) as FieldDefinition | undefined,
  };
  return fieldTypeOf(field).describe(field as FieldDefinition, context);
}
