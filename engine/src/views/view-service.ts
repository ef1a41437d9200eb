import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner } from '../metadata/change-runner';
import { checkViewDocument } from '../metadata/documents';
import { ElementService } from '../metadata/element-service';
import type { ViewDefinition } from '../metadata/types';

/** List views (columns, filter, sort) and kanban views (group-by select, card fields). */
export function createViewService(runner: MetadataChangeRunner, cache: MetadataCache): ElementService<ViewDefinition> {
  return new ElementService<ViewDefinition>(runner, cache, {
    kind: 'view',
    table: 'crm_meta.views',
    check: checkViewDocument,
    stored: (object) => object.views,
    notFound: 'view_not_found',
  });
}
