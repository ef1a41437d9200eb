import type { KeyboardEvent } from 'react';

/**
 * Enter that means "done", not the Enter a Chinese (or Japanese, Korean) input method takes to
 * turn the typed pinyin into characters: while composing, the field still holds the pinyin, and
 * acting on it would save "zhang" instead of 张. Chrome marks that keydown `isComposing`; some
 * browsers only give it the key code 229.
 */
export function isCommitEnter(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && !event.nativeEvent.isComposing && event.keyCode !== 229;
}
