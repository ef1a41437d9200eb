import type { KeyboardEvent } from 'react';

/** The id of a record's row element (the rowgroup's aria-owns lists them in screen order). */
export function rowElementId(recordId: string): string {
  return `record-row-${recordId}`;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled])';

function focusables(element: Element): HTMLElement[] {
  return [...element.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

/**
 * Tab and Shift+Tab across rows in their order on screen. The rows are in the DOM in slot order
 * (row-slots.ts), which the browser's tab order would follow: within a row it is right, and from a
 * row's last (first) control this moves to the next (previous) row's first (last) one. Leaving the
 * rendered rows, focus goes to the group's last (first) control and the browser moves on from there.
 */
export function tabAcrossRows(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target as HTMLElement;
  const row = target.closest<HTMLElement>('[role="row"]');
  if (!row) return;
  const inRow = focusables(row);
  const at = inRow.indexOf(target);
  const step = event.shiftKey ? -1 : 1;
  if (at < 0 || inRow[at + step]) return;
  const next = event.currentTarget.querySelector(`[aria-rowindex="${Number(row.getAttribute('aria-rowindex')) + step}"]`);
  const candidates = next ? focusables(next) : [];
  const to = event.shiftKey ? candidates.at(-1) : candidates[0];
  if (to) {
    event.preventDefault();
    to.focus();
    return;
  }
  const all = focusables(event.currentTarget);
  (event.shiftKey ? all[0] : all.at(-1))?.focus();
}

/**
 * After a cell's editor (or the conflict dialog it led to) closed: focus on the cell's edit button,
 * where a keyboard user left off, unless they have moved on. Without it focus falls to the page's
 * body with the editor's input, and the next Tab starts again from the top of the page.
 */
export function focusCellEdit(recordId: string, field: string): void {
  const active = document.activeElement;
  if (active !== null && active !== document.body) return;
  const cell = document.getElementById(rowElementId(recordId))?.querySelector(`[data-field="${CSS.escape(field)}"]`);
  cell?.querySelector<HTMLElement>('.record-cell__edit')?.focus({ preventScroll: true });
}
