import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids: new rows land at the end of the primary-key index instead of at random pages. */
export function newId(): string {
  return uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a caller's id is shaped like a uuid (any case): checked before it reaches a uuid cast, so a bad id is a not-found or a 400, never a database error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
