import { useSyncExternalStore } from 'react';

/** antd's `md` breakpoint (its theme's screenMD), where the app switches between phone and desktop layouts. */
const WIDE = '(min-width: 768px)';

const wide = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(WIDE).matches;

function subscribe(listener: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia(WIDE);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/**
 * True on a screen at least antd's `md` wide (a desktop or tablet layout), right from the first
 * render. antd's Grid.useBreakpoint starts empty and fills in in a layout effect: the shell
 * rendered its phone layout first, then everything on screen again as a desktop, before the
 * first paint.
 */
export function useWideScreen(): boolean {
  return useSyncExternalStore(subscribe, wide, () => true);
}
