import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner } from '../metadata/change-runner';
import { checkViewDocument } from '../metadata/documents';
import { ElementService } from '../elements/element-service';
import type { ViewDefinition } from '../metadata/types';
import type { Administration } from '../security/administration';
import { visibleView } from '../security/visible-metadata';

/** List views (columns, filter, sort) and kanban views (group-by select, card fields). */
export function createViewService(runner: MetadataChangeRunner, cache: MetadataCache, administration: Administration): ElementService<ViewDefinition> {
  return new ElementService<ViewDefinition>(runner, cache, administration, {
    kind: 'view',
    table: 'crm_meta.views',
    check: checkViewDocument,
    stored: (object) => object.views,
    notFound: 'view_not_found',
    visible: (_access, view, hidden) => visibleView(view, hidden),
  });
}
