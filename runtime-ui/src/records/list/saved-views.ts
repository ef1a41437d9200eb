import { useQuery } from '@tanstack/react-query';
import { SAVED_VIEW_LIMITS, type SavedView, type SavedViewDefinition } from '@crm/engine/core';
import { api, ApiError, query } from '../../api/client';
import { filterToLogic, logicToFilter, type KindOf } from '../../filters/filter-logic';
import type { FilterGroup } from '../../filters/filter-tree';

export type { SavedView };

/**
 * Personal saved views, kept on the server (/api/me/views, server/src/saved-views/routes.ts) so
 * they follow the user to every browser. A view holds what the records API takes (columns, sort,
 * JSON-Logic filter, search) plus the builder's tree the filter was made from, so relative dates
 * ("this month") stay relative while the tree still makes the stored filter.
 */

export const savedViewKeys = {
  all: ['saved-views'] as const,
  object: (userId: string, object: string) => ['saved-views', userId, object] as const,
};

const path = (id: string) => `/api/me/views/${encodeURIComponent(id)}`;

export const listSavedViews = (object: string) => api.get<{ data: SavedView[] }>(`/api/me/views${query({ object })}`).then((r) => r.data);
export const createSavedView = (object: string, name: string, definition: SavedViewDefinition) => api.post<SavedView>('/api/me/views', { object, name, definition });
export const updateSavedView = (id: string, patch: { name?: string; definition?: SavedViewDefinition }) => api.patch<SavedView>(path(id), patch);
export const deleteSavedView = (id: string) => api.delete<{ id: string }>(path(id));

/** What a list shows, as the parts a saved view keeps. */
export interface ListSettings {
  readonly view?: string | undefined;
  readonly columns: readonly string[];
  readonly sort: string;
  readonly filter: FilterGroup;
  readonly q: string;
}

export function definitionOf(settings: ListSettings, kindOf: KindOf, now: Date = new Date()): SavedViewDefinition {
  const filter = filterToLogic(settings.filter, kindOf, { now });
  return {
    ...(settings.view ? { view: settings.view } : {}),
    columns: [...settings.columns],
    ...(settings.sort ? { sort: settings.sort } : {}),
    ...(filter !== undefined ? { filter, filter_builder: { at: now.toISOString(), tree: settings.filter as unknown as Record<string, unknown> } } : {}),
    ...(settings.q ? { q: settings.q } : {}),
  };
}

/** Equal as JSON values, whatever the order of object keys (the server keeps JSON as jsonb). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => sameJson(item, (b as unknown[])[i]));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

const isGroup = (tree: unknown): tree is FilterGroup =>
  typeof tree === 'object' && tree !== null && (tree as FilterGroup).type === 'group' && Array.isArray((tree as FilterGroup).children);

/**
 * The filter of a saved view as the builder shows it: the tree it was made from while that tree,
 * at the moment it was saved, still makes the stored filter (no field renamed or removed since,
 * same calendar); otherwise the stored filter read back, with its dates as they were made.
 */
export function filterTreeOf(definition: SavedViewDefinition, kindOf: KindOf): FilterGroup {
  const builder = definition.filter_builder;
  if (builder && isGroup(builder.tree) && sameJson(filterToLogic(builder.tree, kindOf, { now: new Date(builder.at) }), definition.filter)) return builder.tree;
  return logicToFilter(definition.filter, kindOf);
}

// ---- Views saved in this browser before they were kept on the server ----

/** What earlier versions kept in localStorage under `crm.saved-views.<user>.<object>`. */
interface LocalView {
  readonly name: string;
  readonly view?: string;
  readonly columns: readonly string[];
  readonly sort: string;
  readonly filter: FilterGroup;
}

const localKey = (userId: string, object: string) => `crm.saved-views.${userId}.${object}`;

function localViews(text: string): LocalView[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed)
      ? (parsed as LocalView[]).filter((v) => typeof v?.name === 'string' && v.name.trim() !== '' && Array.isArray(v.columns) && isGroup(v.filter))
      : [];
  } catch {
    return [];
  }
}

/**
 * Moves the user's views of an object still in this browser to the server, once: each is saved
 * (one of the same name already there wins: 409), then the local copy is removed. A view the
 * server refuses (a column since hidden from the user) cannot be kept anywhere and is let go; a
 * failure of the server or the network leaves the local copy for the next time.
 */
export async function moveLocalViews(userId: string, object: string, kindOf: KindOf, storage: Storage = localStorage): Promise<void> {
  const key = localKey(userId, object);
  const text = storage.getItem(key);
  if (text === null) return;
  for (const local of localViews(text)) {
    try {
      await createSavedView(object, local.name.trim().slice(0, SAVED_VIEW_LIMITS.name), definitionOf({ view: local.view, columns: local.columns, sort: local.sort ?? '', filter: local.filter, q: '' }, kindOf));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) return;
    }
  }
  storage.removeItem(key);
}

/** The user's saved views of an object, after moving any still kept in this browser to the server. */
export function useSavedViews(userId: string, object: string, kindOf: KindOf) {
  return useQuery({
    queryKey: savedViewKeys.object(userId, object),
    queryFn: async () => {
      await moveLocalViews(userId, object, kindOf);
      return listSavedViews(object);
    },
  });
}
