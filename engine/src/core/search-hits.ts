/** What global search answers (GET /api/search; records/global-search.ts), as the UIs read it. */

export interface SearchHit {
  readonly id: string;
  /** The record's title field, or its first searched field the actor may see. */
  readonly title: string;
  /** Another searched field it holds, to tell records of the same title apart. */
  readonly subtitle?: string;
}

export interface ObjectHits {
  readonly object: string;
  readonly hits: readonly SearchHit[];
}

/** Longer search texts are no search anyone types: the API refuses them (400), the UI's box stops there. */
export const GLOBAL_SEARCH_MAX_TEXT = 200;
