import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/**
 * Why the server refused a write, in the words a screen shows. The server's message stands,
 * with its field issues (a rule's message names its field), except for a lock by a pending
 * approval. The server names the record by its label and title, for a client that shows nothing
 * else; a screen already shows which record it is (a cell, a card, a row of the outcome), so it
 * says only why the record cannot change, and the same way on each.
 */
export function refusalText(error: unknown, t: TFunction, title?: string): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.code === 'record_locked') return title ? t('record.lockedNamed', { title }) : t('record.lockedHint');
  const details = error.fields.map((f) => f.message).filter((m) => m && !error.message.includes(m));
  return [error.message, ...details].join(' ');
}

/**
 * One record's refusal in a bulk outcome, phrased as `refusalText` does. A failure without a
 * record (`id` empty) stands for the whole selection: a transfer is all or none.
 */
export function failureText(failure: { readonly id: string; readonly code?: string; readonly message: string }, t: TFunction): string {
  if (failure.code !== 'record_locked') return failure.message;
  return failure.id ? t('record.lockedHint') : t('list.bulk.lockedAny');
}
