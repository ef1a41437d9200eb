import { useCallback, useEffect, useRef, useState } from 'react';
import { clearDraft, loadDraft, saveDraft, type Draft } from './draft-store';

/** Typing pauses longer than this write the draft. */
export const DRAFT_DEBOUNCE_MS = 400;

export interface DraftState {
  /** Still reading IndexedDB: the form waits, so a restored draft never flashes over typed input. */
  readonly loading: boolean;
  /** The draft found when the form opened (restored into it), until discarded or saved. */
  readonly restored: Draft | undefined;
  /** Saves the values (debounced). */
  readonly keep: (values: Record<string, unknown>, version?: number) => void;
  /** Deletes the draft (after a save, on discard, when leaving on purpose). */
  readonly clear: () => Promise<void>;
}

/** The draft of one form: loaded once, kept while typing, cleared when done. */
export function useDraft(key: string): DraftState {
  const [loading, setLoading] = useState(true);
  const [restored, setRestored] = useState<Draft | undefined>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef<Draft | undefined>(undefined);

  useEffect(() => {
    let live = true;
    setLoading(true);
    void loadDraft(key).then((draft) => {
      if (!live) return;
      setRestored(draft);
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, [key]);

  // Leaving the page mid-pause still writes what was typed.
  useEffect(() => {
    const flush = () => {
      if (pending.current) void saveDraft(pending.current);
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      clearTimeout(timer.current);
      flush();
    };
  }, [key]);

  const keep = useCallback(
    (values: Record<string, unknown>, version?: number) => {
      pending.current = { key, values, savedAt: Date.now(), ...(version !== undefined ? { version } : {}) };
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const draft = pending.current;
        pending.current = undefined;
        if (draft) void saveDraft(draft);
      }, DRAFT_DEBOUNCE_MS);
    },
    [key],
  );

  const clear = useCallback(async () => {
    clearTimeout(timer.current);
    pending.current = undefined;
    setRestored(undefined);
    await clearDraft(key);
  }, [key]);

  return { loading, restored, keep, clear };
}
