/**
 * Saved views as the API and the UIs see them (no imports: `@crm/engine/core` re-exports these
 * for browsers).
 */

/** How many saved views one user may keep per object, and other bounds of a definition. */
export const SAVED_VIEW_LIMITS = Object.freeze({ perObject: 100, name: 80, columns: 200, sortKeys: 5, q: 200 });

/** What a list shows: the records API's columns, sort, filter and search, and the list view it started from. */
export interface SavedViewDefinition {
  readonly view?: string;
  /** Field names, in column order. */
  readonly columns: readonly string[];
  /** As the records API's `sort`: `-amount,name`. */
  readonly sort?: string;
  /** JSON-Logic, as the records API's `filter`. */
  readonly filter?: unknown;
  readonly q?: string;
  /** A UI's own form of the filter and the moment `filter` was made from it (kept as given, never run). */
  readonly filter_builder?: { readonly at: string; readonly tree: Readonly<Record<string, unknown>> };
}

export interface SavedViewInput {
  readonly object: string;
  readonly name: string;
  readonly definition: SavedViewDefinition;
}

export interface SavedViewPatch {
  readonly name?: string;
  readonly definition?: SavedViewDefinition;
}

/** A part of a saved view left out when it was read: it names a field that is gone or that the reader may no longer see. */
export type DroppedPart = 'view' | 'columns' | 'sort' | 'filter';

/** One of a user's saved views, as they may use it now. */
export interface SavedView {
  readonly id: string;
  readonly object: string;
  readonly name: string;
  readonly definition: SavedViewDefinition;
  /** Parts that named fields gone or no longer visible to the reader, left out of `definition` (empty: all of it applies). */
  readonly dropped: readonly DroppedPart[];
  readonly created_at: string;
  readonly updated_at: string;
}
