import { byName, type DocumentKind } from '../metadata/document-kind';
import { layoutSchema } from '../metadata/schemas';
import type { StoredElement } from '../metadata/snapshot';
import type { LayoutDefinition } from '../metadata/types';
import { checkLayout } from './check-layout';
import { layoutFieldRemoval, layoutFieldRename, layoutObjectRename } from './layout-references';

declare module '../metadata/snapshot' {
  interface StoredObjectDocuments {
    readonly layouts: readonly StoredElement<LayoutDefinition>[];
  }
}
declare module '../core/compiled' {
  interface CompiledObjectDocuments {
    readonly layouts: ReadonlyMap<string, LayoutDefinition>;
  }
}

/** Layouts (forms and record pages) as a document kind. */
export const layoutKind: DocumentKind = {
  kind: 'layout',
  plural: 'layouts',
  schema: layoutSchema,
  storage: { table: 'crm_meta.layouts', key: 'layouts', order: 'creation' },
  check: (context) => context.object.layouts.forEach(({ definition }) => checkLayout(definition, context)),
  compile: (object) => ({ layouts: byName(object.layouts) }),
  renameField: layoutFieldRename,
  renameObject: layoutObjectRename,
  removeField: layoutFieldRemoval,
  usages: [
    [/^sections\/\d+\/fields\/\d+\/visible_when/, 'shows_field_when'],
    [/^sections\/\d+\/fields\/\d+\/read_only_when/, 'locks_field_when'],
    [/^sections\/\d+\/fields\//, 'places'],
    [/^sections\/\d+\/visible_when/, 'shows_section_when'],
    [/^related_lists\/\d+\/object$/, 'lists_related'],
    [/^related_lists\/\d+\/field$/, 'relates_through'],
    [/^related_lists\/\d+\/columns/, 'shows_column'],
    [/^related_lists\/\d+\/sort/, 'sorts_by'],
  ],
};
