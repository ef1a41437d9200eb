import type { DocumentKind } from '../metadata/document-kind';
import { fieldSchema } from '../metadata/schemas';
import { checkFields } from './check-fields';
import { fieldFieldRename, fieldObjectRename } from './field-references';

/**
 * Fields as a document kind. metadata/ loads and compiles fields itself (they are an object's
 * shape, which everything else compiles against); this kind adds their whole-graph check, the
 * renames they follow and what they do with what they reference.
 */
export const fieldKind: DocumentKind = {
  kind: 'field',
  plural: 'fields',
  schema: fieldSchema,
  check: checkFields,
  renameField: fieldFieldRename,
  renameObject: fieldObjectRename,
  usages: [
    [/^expression(\/|$)/, 'reads_expression'],
    [/^default(\/|$)/, 'reads_default'],
    [/^(controlling_field$|options\/)/, 'controlled_by'],
    [/^target$/, 'looks_up'],
    [/^child_object$/, 'rolls_up_records'],
    [/^relationship_field$/, 'rolls_up_through'],
    [/^aggregate_field$/, 'aggregates'],
    [/^filter(\/|$)/, 'filters_children'],
  ],
};
