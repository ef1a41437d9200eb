import { useRef } from 'react';

/** Drawer and modal props (antd's `focusable` and `afterOpenChange`) that return focus on close. */
export interface ReturnFocusProps {
  readonly focusable: { readonly focusTriggerAfterClose: false };
  readonly afterOpenChange: (open: boolean) => void;
}

/** What the user has focused since, outside any drawer or dialog (which close with their content). */
function movedElsewhere(active: Element | null): boolean {
  return active !== null && active !== document.body && active.closest('.ant-drawer, .ant-modal-root, .ant-modal-wrap') === null;
}

/**
 * antd returns focus to the element that opened a drawer or dialog once its closing animation
 * ends, wherever focus is by then. Someone who clicks "Apply" on the filter and at once starts
 * editing a cell (or typing in the search box) had focus taken back to the Filter button mid-typing,
 * and the next Enter went there. This returns it only when it was lost with the closed content.
 */
export function useReturnFocus(open: boolean, fallback?: () => HTMLElement | null, first?: string): ReturnFocusProps {
  const opener = useRef<Element | null>(null);
  const wasOpen = useRef(false);
  // Read while rendering the opening, before the drawer or dialog mounts and takes focus.
  if (open && !wasOpen.current) opener.current = document.activeElement;
  wasOpen.current = open;
  return {
    focusable: { focusTriggerAfterClose: false },
    afterOpenChange: (nowOpen) => {
      if (!nowOpen) returnFocus(opener.current, fallback);
      else if (first) focusFirst(first);
    },
  };
}

/**
 * Once a dialog is open: focus on its field `id` (a name to type, a user to pick), where antd
 * left it on the dialog's close button, unless the user has already gone into a field. A text
 * already there (a saved view's name) is selected, to be typed over or kept.
 */
export function focusFirst(id: string): void {
  const field = document.getElementById(id);
  if (!field || field.contains(document.activeElement) || document.activeElement?.matches('input, textarea, [contenteditable="true"]')) return;
  field.focus({ preventScroll: true });
  if (field instanceof HTMLInputElement) field.select();
}

/**
 * After a dialog closed: focus back on its opener, unless the user has moved on. An opener the
 * dialog's action removed (a bulk action's button, gone with the selection) hands focus to
 * `fallback`, so it is not left on the page's body, where the next Tab starts from the top.
 */
export function returnFocus(opener: Element | null, fallback?: () => HTMLElement | null): void {
  if (movedElsewhere(document.activeElement)) return;
  const target = opener instanceof HTMLElement && opener.isConnected ? opener : fallback?.();
  target?.focus({ preventScroll: true });
}
