import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * A ref holding the value of the last render, for callbacks that must stay the same function
 * (memoised children take them) yet act on what is current when they run. Updated in a layout
 * effect, so a callback run from an event always sees the committed render's value.
 */
export function useLatest<T>(value: T): Readonly<RefObject<T>> {
  const latest = useRef(value);
  useLayoutEffect(() => {
    latest.current = value;
  });
  return latest;
}
