import { CrmError } from '../../errors';

/** Stops a translation that cannot be exact: `filter_not_translatable`, with a reason naming the operation. */
export function refuse(reason: string): never {
  throw new CrmError('filter_not_translatable', { reason });
}
