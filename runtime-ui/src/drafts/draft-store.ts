import Dexie, { type Table } from 'dexie';

/**
 * Form drafts kept in the browser (IndexedDB through dexie) while the user types, so a reload, a
 * lost connection or an expired session loses nothing. One draft per user, object and record
 * ("new" for a record being created); cleared when the form is saved or the user discards it.
 */
export interface Draft {
  /** `${userId}:${object}:${recordId | 'new'}` (draftKey). */
  readonly key: string;
  readonly values: Record<string, unknown>;
  /** The record version the edit started from (its If-Match), absent for a new record. */
  readonly version?: number;
  readonly savedAt: number;
}

class DraftDatabase extends Dexie {
  drafts!: Table<Draft, string>;
  constructor() {
    super('crm-drafts');
    this.version(1).stores({ drafts: 'key, savedAt' });
  }
}

let database: DraftDatabase | undefined;
function db(): DraftDatabase {
  database ??= new DraftDatabase();
  return database;
}

export function draftKey(userId: string, object: string, recordId: string | undefined): string {
  return `${userId}:${object}:${recordId ?? 'new'}`;
}

/** The draft under `key`, or undefined (also when IndexedDB is unavailable: drafts are a convenience). */
export async function loadDraft(key: string): Promise<Draft | undefined> {
  try {
    return await db().drafts.get(key);
  } catch {
    return undefined;
  }
}

export async function saveDraft(draft: Draft): Promise<void> {
  try {
    await db().drafts.put(draft);
  } catch {
    // Private mode or a full disk: the form still works, only without a draft.
  }
}

export async function clearDraft(key: string): Promise<void> {
  try {
    await db().drafts.delete(key);
  } catch {
    // Nothing to clear.
  }
}
