import { CrmError, type Reason } from '../../errors';

/** Stops a translation that cannot be exact: `filter_not_translatable`, with a reason naming the operation. */
export function refuse(why: Reason): never {
  throw new CrmError('filter_not_translatable', { reason: why });
}
