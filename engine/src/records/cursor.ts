import { CrmError } from '../errors';

/**
 * Keyset cursors are opaque to clients: the sort values of the last row returned, and the sort
 * they belong to (a cursor from another sort would silently skip or repeat rows).
 */
interface CursorPayload {
  readonly s: string;
  readonly v: readonly unknown[];
}

export function encodeCursor(signature: string, values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify({ s: signature, v: values } satisfies CursorPayload)).toString('base64url');
}

export function decodeCursor(cursor: string, signature: string, length: number): readonly unknown[] {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw new CrmError('cursor_invalid');
  }
  if (!payload || payload.s !== signature || !Array.isArray(payload.v) || payload.v.length !== length) throw new CrmError('cursor_invalid');
  for (const value of payload.v) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new CrmError('cursor_invalid');
  }
  return payload.v;
}
