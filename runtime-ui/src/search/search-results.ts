import type { ObjectHits, SearchHit } from './search-api';

/** One row the keyboard can land on: a hit, with the object it belongs to. */
export interface ResultRow {
  readonly object: string;
  readonly hit: SearchHit;
  /** Its position among all rows (arrows move through it). */
  readonly index: number;
}

export interface ResultGroup {
  readonly object: string;
  readonly label: string;
  readonly rows: readonly ResultRow[];
}

/** Groups in the server's order, labelled, with every hit numbered across groups. */
export function resultGroups(answer: readonly ObjectHits[], labelOf: (object: string) => string): ResultGroup[] {
  let index = 0;
  return answer
    .filter((group) => group.hits.length > 0)
    .map((group) => ({
      object: group.object,
      label: labelOf(group.object),
      rows: group.hits.map((hit) => ({ object: group.object, hit, index: index++ })),
    }));
}

/** The next active row for an arrow key, wrapping around; -1 when there is none. */
export function moveActive(active: number, count: number, step: 1 | -1): number {
  if (count === 0) return -1;
  if (active < 0) return step === 1 ? 0 : count - 1;
  return (active + step + count) % count;
}
