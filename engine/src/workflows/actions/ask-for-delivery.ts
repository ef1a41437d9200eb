import type { ActionResult } from '../actions';
import { deliveryKey } from '../actions';
import type { DeliveryAction } from '../deliveries';
import type { ActionRunContext } from './action-type';

/** What a delivery action does when it runs: asks for its delivery, made from the record as the write leaves it, once all its workflows ran (deliveries.ts). */
export function askForDelivery(action: DeliveryAction, { run, index }: ActionRunContext): ActionResult {
  const key = deliveryKey(run, action, index);
  run.deliveries.push({ run, action, index, key });
  return { outcome: 'done', detail: { delivery: key } };
}
