import type { FilterGroup } from '../../filters/filter-tree';

/**
 * Personal saved views. The API has no per-user view store (views are metadata, changed by
 * analysts), so these live in this browser's localStorage, keyed by user and object: they do
 * not follow the user to another browser.
 */
export interface SavedView {
  readonly id: string;
  readonly name: string;
  /** The metadata view it was made from (its columns and sort are copied below anyway). */
  readonly view?: string;
  readonly columns: readonly string[];
  readonly sort: string;
  readonly filter: FilterGroup;
}

const keyOf = (userId: string, object: string) => `crm.saved-views.${userId}.${object}`;

export function loadSavedViews(userId: string, object: string, storage: Storage = localStorage): SavedView[] {
  try {
    const parsed = JSON.parse(storage.getItem(keyOf(userId, object)) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as SavedView[]).filter((v) => typeof v?.id === 'string' && typeof v.name === 'string') : [];
  } catch {
    return [];
  }
}

export function storeSavedViews(userId: string, object: string, views: readonly SavedView[], storage: Storage = localStorage): void {
  storage.setItem(keyOf(userId, object), JSON.stringify(views));
}

/** Saves under a name; a view of the same name is replaced (saving again updates it). */
export function saveView(userId: string, object: string, view: Omit<SavedView, 'id'>, storage: Storage = localStorage): SavedView {
  const views = loadSavedViews(userId, object, storage);
  const existing = views.find((v) => v.name === view.name);
  const saved: SavedView = { ...view, id: existing?.id ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` };
  storeSavedViews(userId, object, existing ? views.map((v) => (v.id === existing.id ? saved : v)) : [...views, saved], storage);
  return saved;
}

export function deleteSavedView(userId: string, object: string, id: string, storage: Storage = localStorage): void {
  storeSavedViews(userId, object, loadSavedViews(userId, object, storage).filter((v) => v.id !== id), storage);
}
