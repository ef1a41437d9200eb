import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner } from '../metadata/change-runner';
import { checkLayoutDocument } from '../metadata/documents';
import { ElementService } from '../metadata/element-service';
import type { LayoutDefinition } from '../metadata/types';

/** Form and record-detail layouts: sections of 1-4 columns, placements, visibility rules, related lists. */
export function createLayoutService(runner: MetadataChangeRunner, cache: MetadataCache): ElementService<LayoutDefinition> {
  return new ElementService<LayoutDefinition>(runner, cache, {
    kind: 'layout',
    table: 'crm_meta.layouts',
    check: checkLayoutDocument,
    stored: (object) => object.layouts,
    notFound: 'layout_not_found',
  });
}
