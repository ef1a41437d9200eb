import { fieldTypeOf } from '../field-types';
import type { FieldDefinition } from './types';

/**
 * Whether text search (`q`) reads a field: its type can be searched as text, and it is marked
 * `searchable`, or unmarked and the object's title field. Such a field has a trigram index
 * (schema-sync/field-schema.ts, records/search.ts).
 */
export function isSearched(def: FieldDefinition, titleField: string | undefined): boolean {
  return fieldTypeOf(def).capabilities.searchable && (def.searchable ?? def.name === titleField);
}
