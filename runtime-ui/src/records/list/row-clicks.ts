import type { MouseEvent } from 'react';

/**
 * The attribute (`data-app-link=""`) of a link the app follows itself (a row's title, a lookup's
 * record): a plain `<a href>` in each cell and one click handler for all the rows, instead of a
 * router link (and its hooks) in each of the dozens of cells a scroll mounts.
 */
const APP_LINK = 'data-app-link';

/** A plain click follows a link in the app; one with a modifier (new tab, window) is the browser's. */
export function isPlainClick(event: Pick<MouseEvent, 'button' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey'>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/**
 * A click in the rows. On an app link: a plain click (or Enter on the focused link) is followed by
 * `follow`, any other is left to the browser (middle or Ctrl/Cmd-click opens a new tab, as the
 * href is the record's address). Elsewhere in a row: its record opens. Controls in a row (check
 * box, edit button, editor, mail/phone/web links) stop their clicks before they get here.
 */
export function onRowsClick(event: MouseEvent<HTMLElement>, follow: (href: string) => void, openRow: (row: HTMLElement) => void): void {
  const target = event.target as Element;
  const link = target.closest<HTMLAnchorElement>(`a[${APP_LINK}]`);
  if (link && event.currentTarget.contains(link)) {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    follow(link.getAttribute('href') ?? '');
    return;
  }
  const row = target.closest<HTMLElement>('[role="row"]');
  if (row && event.currentTarget.contains(row)) openRow(row);
}
