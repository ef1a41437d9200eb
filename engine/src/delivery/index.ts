/**
 * Delivery tasks run by the job queue: `webhook` (signed JSON POSTs) and `email` (SMTP, Mustache
 * templates over a record). Workflow actions enqueue them in the write's transaction:
 * `engine.jobs.enqueue(trx, { task: 'webhook', payload: { url, body }, key })`.
 */
import type { JobQueue } from '../jobs';
import { emailTask, type MailOptions } from './email';
import { webhookTask, WEBHOOK_TASK, type WebhookOptions } from './webhook';
import { EMAIL_TASK } from './email';

export interface DeliveryOptions {
  readonly webhook?: WebhookOptions;
  readonly mail?: MailOptions;
}

export async function registerDeliveryTasks(queue: JobQueue, options: DeliveryOptions = {}): Promise<void> {
  const webhook = webhookTask(options.webhook);
  await queue.register(WEBHOOK_TASK, webhook.handler, webhook.options);
  const email = emailTask(options.mail);
  await queue.register(EMAIL_TASK, email.handler, email.options);
}

/** Delivery settings from the environment: CRM_WEBHOOK_SECRET, CRM_SMTP_URL, CRM_MAIL_FROM. */
export function deliveryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryOptions {
  return {
    webhook: { secret: env.CRM_WEBHOOK_SECRET || undefined },
    mail: { smtpUrl: env.CRM_SMTP_URL || undefined, from: env.CRM_MAIL_FROM || undefined },
  };
}

export { renderTemplate, templateProblem, type RenderOptions } from './render-template';
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_TASK, SIGNATURE_HEADER, DELIVERY_HEADER, type WebhookOptions, type WebhookPayload } from './webhook';
export { EMAIL_TASK, type EmailPayload, type MailOptions } from './email';
