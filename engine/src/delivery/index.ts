/**
 * Delivery tasks run by the job queue: `webhook` (signed JSON POSTs) and `email` (SMTP, Mustache
 * templates over a record). Workflow actions enqueue them in the write's transaction:
 * `engine.jobs.enqueue(trx, { task: 'webhook', payload: { url, body }, key })`.
 */
import type { EnvReader } from '../config/env-reader';
import type { JobQueue } from '../jobs';
import { EMAIL_TASK, emailTask, mailFromProblem, smtpUrlProblem, SMTP_URL_VARIABLE, type MailOptions } from './email';
import { webhookTask, WEBHOOK_SECRET_VARIABLE, WEBHOOK_TASK, type WebhookOptions } from './webhook';

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

/**
 * The setting each kind of delivery lacks in this process (the variable to set), undefined when
 * it can be delivered. A delivery the settings do not allow is refused where it is configured (a
 * workflow's save), never where a write would cause it.
 */
export interface MissingDeliverySettings {
  /** Signing webhooks that carry no secret of their own. */
  readonly webhook: string | undefined;
  readonly email: string | undefined;
}

export function missingDeliverySettings(options: DeliveryOptions = {}): MissingDeliverySettings {
  return {
    webhook: options.webhook?.secret ? undefined : WEBHOOK_SECRET_VARIABLE,
    email: options.mail?.smtpUrl ? undefined : SMTP_URL_VARIABLE,
  };
}

/** Delivery settings from the environment: CRM_WEBHOOK_SECRET, CRM_SMTP_URL, CRM_MAIL_FROM (see EnvReader). */
export function deliveryOptionsFromEnv(read: EnvReader): DeliveryOptions {
  return {
    webhook: { secret: read.text(WEBHOOK_SECRET_VARIABLE) },
    mail: { smtpUrl: read.checked(SMTP_URL_VARIABLE, smtpUrlProblem), from: read.checked('CRM_MAIL_FROM', mailFromProblem) },
  };
}

export { renderTemplate, templateProblem, type RenderOptions } from './render-template';
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_TASK, SIGNATURE_HEADER, DELIVERY_HEADER, type WebhookOptions, type WebhookPayload } from './webhook';
export { EMAIL_TASK, type EmailPayload, type MailOptions } from './email';
