import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner } from '../metadata/change-runner';
import { checkViewDocument } from '../metadata/documents';
import { ElementService } from '../elements/element-service';
import type { ViewDefinition } from '../metadata/types';
import type { Administration } from '../security/administration';

/** List views (columns, filter, sort) and kanban views (group-by select, card fields). */
export function createViewService(runner: MetadataChangeRunner, cache: MetadataCache, administration: Administration): ElementService<ViewDefinition> {
  return new ElementService<ViewDefinition>(runner, cache, administration, {
    kind: 'view',
    table: 'crm_meta.views',
    check: checkViewDocument,
    stored: (object) => object.views,
    notFound: 'view_not_found',
    withoutHidden: (view, hidden) =>
      view.type === 'list'
        ? { ...view, columns: view.columns.filter((c) => !hidden('', c)) }
        : { ...view, card_fields: view.card_fields.filter((c) => !hidden('', c)) },
  });
}
