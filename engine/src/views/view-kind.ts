import { byName, type DocumentKind } from '../metadata/document-kind';
import { viewSchema } from '../metadata/schemas';
import type { StoredElement } from '../metadata/snapshot';
import type { ViewDefinition } from '../metadata/types';
import { checkView } from './check-view';
import { viewFieldRemoval, viewFieldRename } from './view-references';

declare module '../metadata/snapshot' {
  interface StoredObjectDocuments {
    readonly views: readonly StoredElement<ViewDefinition>[];
  }
}
declare module '../core/compiled' {
  interface CompiledObjectDocuments {
    readonly views: ReadonlyMap<string, ViewDefinition>;
  }
}

/** Views (lists and kanban boards) as a document kind. */
export const viewKind: DocumentKind = {
  kind: 'view',
  plural: 'views',
  schema: viewSchema,
  storage: { table: 'crm_meta.views', key: 'views', order: 'creation' },
  check: (context) => context.object.views.forEach(({ definition }) => checkView(definition, context)),
  compile: (object) => ({ views: byName(object.views) }),
  renameField: viewFieldRename,
  removeField: viewFieldRemoval,
  usages: [
    [/^columns/, 'shows_column'],
    [/^card_fields/, 'shows_on_cards'],
    [/^group_by/, 'groups_by'],
    [/^filter/, 'filters_on'],
    [/^sort/, 'sorts_by'],
  ],
};
