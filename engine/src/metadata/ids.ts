import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids: new rows land at the end of the primary-key index instead of at random pages. */
export function newId(): string {
  return uuidv7();
}
