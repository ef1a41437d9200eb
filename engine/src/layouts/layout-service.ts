import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner } from '../metadata/change-runner';
import { checkLayoutDocument } from '../metadata/documents';
import { ElementService } from '../elements/element-service';
import type { LayoutDefinition } from '../metadata/types';
import type { Administration } from '../security/administration';

/** Form and record-detail layouts: sections of 1-4 columns, placements, visibility rules, related lists. */
export function createLayoutService(runner: MetadataChangeRunner, cache: MetadataCache, administration: Administration): ElementService<LayoutDefinition> {
  return new ElementService<LayoutDefinition>(runner, cache, administration, {
    kind: 'layout',
    table: 'crm_meta.layouts',
    check: checkLayoutDocument,
    stored: (object) => object.layouts,
    notFound: 'layout_not_found',
    withoutHidden: (layout, hidden) => {
      // The layout's own object is the one the service was asked about; placements name its fields.
      const own = (field: string) => hidden('', field);
      const sections = layout.sections.map((s) => ({ ...s, fields: s.fields.filter((p) => !own(p.field)) }));
      if (layout.type !== 'detail') return { ...layout, sections };
      const related_lists = (layout.related_lists ?? [])
        .filter((list) => !hidden(list.object, list.field))
        .map((list) => ({ ...list, columns: list.columns.filter((c) => !hidden(list.object, c)) }));
      return { ...layout, sections, related_lists };
    },
  });
}
