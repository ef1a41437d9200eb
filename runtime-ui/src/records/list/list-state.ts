import type { ClientObject, ListView } from '@crm/engine/core';
import { logicToFilter, type KindOf } from '../../filters/filter-logic';
import { emptyGroup, type FilterGroup } from '../../filters/filter-tree';

/**
 * What a list shows, all of it in the URL (`?view=&sort=&q=&filter=&cols=&saved=`), so a list can
 * be linked, reloaded and navigated back to. Absent parameters fall back to the selected view's.
 */
export interface ListState {
  readonly view: ListView | undefined;
  readonly columns: readonly string[];
  /** The API's sort: field names, `-` for descending, comma-separated ('' = the API default). */
  readonly sort: string;
  readonly filter: FilterGroup;
  readonly q: string;
  /** The personal saved view shown, if any. */
  readonly saved: string | undefined;
}

export function listViews(object: ClientObject): readonly ListView[] {
  return object.views.filter((view): view is ListView => view.type === 'list');
}

/** A view's sort as the API's sort parameter. */
export function viewSort(view: Pick<ListView, 'sort'> | undefined): string {
  return (view?.sort ?? []).map((key) => `${key.direction === 'desc' ? '-' : ''}${key.field}`).join(',');
}

/** Columns when no view names any: the title field and the next few fields the user sees. */
export function defaultColumns(object: ClientObject): string[] {
  const names = object.fields.filter((field) => !field.system).map((field) => field.name);
  const title = object.title_field && names.includes(object.title_field) ? [object.title_field] : [];
  return [...title, ...names.filter((name) => !title.includes(name))].slice(0, 6);
}

function parseFilter(text: string | null): FilterGroup | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as FilterGroup;
    return parsed && parsed.type === 'group' && Array.isArray(parsed.children) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function readListState(object: ClientObject, params: URLSearchParams, kindOf: KindOf): ListState {
  const views = listViews(object);
  const view = views.find((v) => v.name === params.get('view')) ?? (params.has('view') ? undefined : views[0]);
  const known = new Set(object.fields.map((field) => field.name));
  const columnsParam = params.get('cols');
  const columns = (columnsParam ? columnsParam.split(',') : view ? [...view.columns] : defaultColumns(object)).filter((name) => known.has(name));
  return {
    view,
    columns: columns.length > 0 ? columns : defaultColumns(object),
    sort: params.get('sort') ?? viewSort(view),
    filter: parseFilter(params.get('filter')) ?? (view?.filter !== undefined ? logicToFilter(view.filter, kindOf) : emptyGroup()),
    q: params.get('q') ?? '',
    saved: params.get('saved') ?? undefined,
  };
}

/** The next sort when a column header is clicked: ascending, descending, then the view's own. */
export function nextSort(current: string, field: string, viewDefault: string): string {
  const first = current.split(',')[0] ?? '';
  if (first === field) return `-${field}`;
  if (first === `-${field}`) return viewDefault === current ? field : viewDefault;
  return field;
}

export function sortDirection(sort: string, field: string): 'ascend' | 'descend' | undefined {
  const first = sort.split(',')[0];
  return first === field ? 'ascend' : first === `-${field}` ? 'descend' : undefined;
}
