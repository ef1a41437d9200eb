import type { ClientField, ClientLayout, ClientObject, ClientRule, ClientText, Compilers, RelatedList } from '@crm/engine/core';

/**
 * What the record page shows, from the object's detail layout: sections of fields in columns,
 * each section's visibility condition, and the related lists. An object without a detail layout
 * shows every field the user may see in two columns. Fields the user may not see are absent
 * from the projection, so a layout naming one simply skips it.
 */

export interface DetailCell {
  readonly field: ClientField;
  readonly span: number;
}

export interface DetailSection {
  readonly key: string;
  readonly label?: ClientText;
  readonly columns: number;
  readonly cells: readonly DetailCell[];
  readonly visibleWhen?: ClientRule;
  readonly collapsed?: boolean;
}

type DetailLayout = Extract<ClientLayout, { type: 'detail' }>;

export function detailLayoutOf(object: ClientObject): DetailLayout | undefined {
  return object.layouts.find((layout): layout is DetailLayout => layout.type === 'detail');
}

/** System fields a record page lists apart (who owns and changed it, when), not in the body. */
const RECORD_INFO_FIELDS = ['owner_id', 'created_by', 'created_at', 'updated_by', 'updated_at'];

export function detailSections(object: ClientObject): DetailSection[] {
  const byName = new Map(object.fields.map((field) => [field.name, field]));
  const layout = detailLayoutOf(object);
  if (!layout) {
    const cells = object.fields.filter((field) => !field.system && field.name !== object.title_field).map((field) => ({ field, span: 1 }));
    return cells.length ? [{ key: 'fields', columns: 2, cells }] : [];
  }
  return layout.sections.map((section, index) => {
    const cells = section.fields.flatMap((placement) => {
      const field = byName.get(placement.field);
      return field ? [{ field, span: Math.min(placement.span ?? 1, section.columns) }] : [];
    });
    return {
      key: `section-${index}`,
      ...(section.label !== undefined ? { label: section.label } : {}),
      columns: section.columns,
      cells,
      ...(section.visible_when !== undefined ? { visibleWhen: section.visible_when } : {}),
      ...(section.collapsed ? { collapsed: true } : {}),
    };
  });
}

/** The record's owner and audit fields the user may see, for the page's "record information" part. */
export function recordInfoFields(object: ClientObject): ClientField[] {
  return RECORD_INFO_FIELDS.flatMap((name) => object.fields.find((field) => field.name === name) ?? []);
}

/**
 * Sections whose condition holds on the record (rule data as core builds it). A condition that
 * cannot be evaluated hides nothing: showing a section too many beats losing values.
 */
export function visibleSections(sections: readonly DetailSection[], compilers: Pick<Compilers, 'rule'>, data: Readonly<Record<string, unknown>>): DetailSection[] {
  return sections.filter((section) => {
    if (section.cells.length === 0) return false;
    if (section.visibleWhen === undefined) return true;
    try {
      return Boolean(compilers.rule(section.visibleWhen, 'boolean')(data));
    } catch {
      return true;
    }
  });
}

/** The few fields the header shows beside the title: the body's first fields other than the title. */
export function keyFields(object: ClientObject, sections: readonly DetailSection[], most = 4): ClientField[] {
  return sections
    .flatMap((section) => section.cells.map((cell) => cell.field))
    .filter((field) => field.name !== object.title_field && !field.system)
    .slice(0, most);
}

/** Related lists of objects the user may read (the projection already left the others out). */
export function relatedListsOf(object: ClientObject, readable: (name: string) => ClientObject | undefined): { list: RelatedList; child: ClientObject }[] {
  return (detailLayoutOf(object)?.related_lists ?? []).flatMap((list) => {
    const child = readable(list.object);
    return child?.permissions.read ? [{ list, child }] : [];
  });
}
