import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner } from '../metadata/change-runner';
import { checkLayoutDocument } from '../metadata/documents';
import { ElementService } from '../elements/element-service';
import type { LayoutDefinition } from '../metadata/types';
import type { Administration } from '../security/administration';
import { visibleLayout } from '../security/visible-metadata';

/** Form and record-detail layouts: sections of 1-4 columns, placements, visibility rules, related lists. */
export function createLayoutService(runner: MetadataChangeRunner, cache: MetadataCache, administration: Administration): ElementService<LayoutDefinition> {
  return new ElementService<LayoutDefinition>(runner, cache, administration, {
    kind: 'layout',
    table: 'crm_meta.layouts',
    check: checkLayoutDocument,
    stored: (object) => object.layouts,
    notFound: 'layout_not_found',
    visible: visibleLayout,
  });
}
