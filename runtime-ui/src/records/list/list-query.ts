import type { QueryClient } from '@tanstack/react-query';
import type { ClientMetadata, ClientObject } from '@crm/engine/core';
import { cachedDescriptor } from '../../fields/display/display-context';
import { filterFields, type FilterField } from '../../filters/filter-kinds';
import { filterToLogic, type KindOf } from '../../filters/filter-logic';
import type { UiLocale } from '../../i18n/i18n';
import { fieldLabel, listColumns, type ListColumn } from './list-columns';
import { readListState, type ListState } from './list-state';
import { listPath } from '../record-api';
import { listPageParams, recordListOptions, type RecordListQuery } from './use-record-list';

/** The fields the filter builder offers on the object, in the user's language. */
export function offeredFilterFields(object: ClientObject, objects: readonly ClientObject[], locale: UiLocale): FilterField[] {
  return filterFields(object.fields, (field) => cachedDescriptor(field, objects), (field) => fieldLabel(field, locale));
}

export function kindOfOffered(offered: readonly FilterField[]): KindOf {
  return (field) => offered.find((f) => f.name === field)?.kind;
}

/** What the list asks the API for: its filter, sort, search, the columns' fields and the references to expand. */
export function rowsQueryOf(object: ClientObject, state: ListState, columns: readonly ListColumn[], kindOf: KindOf): RecordListQuery {
  return {
    object: object.name,
    filter: filterToLogic(state.filter, kindOf),
    sort: state.sort,
    q: state.q,
    fields: [...new Set(['id', 'version', ...(object.title_field ? [object.title_field] : []), ...columns.map((c) => c.name)])],
    expand: columns.filter((c) => c.expand).map((c) => c.name),
    pageSize: Math.min(state.view?.page_size ?? 100, 500),
  };
}

/**
 * Fetches the first rows of the list at `search` into the cache, under the key the list will ask
 * for: the app's boot starts it as soon as the metadata arrives, beside the shell's first render,
 * instead of after it. Answers the request's path (the boot remembers it for the next visit of
 * the page, app/first-rows.ts), or undefined when the object is not there to read.
 */
export function prefetchListRows(client: QueryClient, metadata: Pick<ClientMetadata, 'objects'>, objectName: string, search: string, locale: UiLocale): { path: string; rows: Promise<void> } | undefined {
  const object = metadata.objects.find((candidate) => candidate.name === objectName);
  if (!object?.permissions.read) return undefined;
  const kindOf = kindOfOffered(offeredFilterFields(object, metadata.objects, locale));
  const state = readListState(object, new URLSearchParams(search), kindOf);
  const columns = listColumns(object, state.columns, metadata.objects, locale);
  const query = rowsQueryOf(object, state, columns, kindOf);
  return { path: listPath(query.object, listPageParams(query, null)), rows: client.prefetchInfiniteQuery(recordListOptions(query)) };
}
