import type { QueryClient } from '@tanstack/react-query';
import type { ClientMetadata } from '@crm/engine/core';
import type { PointerEvent } from 'react';
import { afterFirstPaint } from '../app/first-paint';
import { list } from '../app/screens';
import type { UiLocale } from '../i18n/i18n';

/** The list's query building alone: small, and what the first rows request needs. */
const listQuery = () => import('../records/list/list-query');

/**
 * Handlers for a link to an object's list that get the list ready before it is opened: its
 * screen's chunk once the user shows intent (the pointer over the link, focus on it), its first
 * rows from the press (a mouse button going down, ~100 ms before the click; the click itself
 * for keyboard and touch). Mounted, the list finds its rows arrived or on their way under the
 * key it asks for (`prefetchListRows`, as the boot does for a list opened first), instead of
 * asking only once its chunk has evaluated and it has rendered. A touch press does not count: it
 * may start a scroll.
 */
/**
 * Loads the list's screen once the page is idle after its first paint: the screen a user opens
 * most, ready for a press that comes without a hover first (a tap, a click from afar). Its chunk
 * is the same on every list. Returns the cancel for an effect's cleanup.
 */
export function warmListWhenIdle(): () => void {
  let cancelled = false;
  const idle = (run: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(run, { timeout: 5000 }) : setTimeout(run, 1000));
  const stop = afterFirstPaint(() => idle(() => cancelled || void list.preload().catch(() => undefined)));
  return () => {
    cancelled = true;
    stop();
  };
}

export function listLinkIntent(client: QueryClient, metadata: Pick<ClientMetadata, 'objects'>, objectName: string, locale: UiLocale) {
  const warm = () => {
    // A chunk that fails to load here fails again where the route asks for it, and says so there.
    list.preload().catch(() => undefined);
  };
  const rows = () => {
    warm();
    listQuery()
      .then((module) => module.prefetchListRows(client, metadata, objectName, '', locale))
      .catch(() => undefined);
  };
  return {
    onPointerEnter: warm,
    onFocus: warm,
    onPointerDown: (event: PointerEvent) => {
      if (event.pointerType === 'mouse' && event.button === 0) rows();
    },
    onClick: rows,
  };
}
