import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { reason, type Reason } from '../errors';
import type { JobHandler, JsonObject, TaskOptions } from '../jobs';
import { renderTemplate, templateProblem } from './render-template';
import { DELIVERY_HEADER } from './webhook';

export const EMAIL_TASK = 'email';
/** The setting email goes out through. */
export const SMTP_URL_VARIABLE = 'CRM_SMTP_URL';

/** What an `email` job carries. */
export interface EmailPayload {
  readonly to: string | readonly string[];
  readonly cc?: string | readonly string[];
  readonly bcc?: string | readonly string[];
  readonly reply_to?: string;
  /** With `record`: Mustache templates over its fields (see renderTemplate); else sent as written. */
  readonly subject: string;
  readonly text?: string;
  /** HTML body; record values are HTML-escaped in it. */
  readonly html?: string;
  /** The record as it was when the job was enqueued (the write's transaction), for the templates. */
  readonly record?: Readonly<Record<string, unknown>>;
  /** How fields of the record read in the message (`{"amount": "¥38,000.00"}`); others as stored. */
  readonly field_texts?: Readonly<Record<string, string>>;
}

export interface MailOptions {
  /** smtp://user:password@host:587 or smtps://... (CRM_SMTP_URL); unset: email jobs fail until it is set. */
  readonly smtpUrl?: string | undefined;
  /** The From address (CRM_MAIL_FROM). */
  readonly from?: string | undefined;
  /** How long one message may take to hand over (default 30 s). */
  readonly timeoutMs?: number | undefined;
}

const DEFAULT_FROM = 'CRM <crm@localhost>';
const PAYLOAD_PROPERTIES = new Set(['to', 'cc', 'bcc', 'reply_to', 'subject', 'text', 'html', 'record', 'field_texts']);
// Deliberately loose (one @, no spaces or line breaks): the SMTP server has the last word.
const ADDRESS = /^(?:[^<>@\s]+@[^<>@\s]+|[^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>)$/;

/** Why an SMTP URL cannot be used (CRM_SMTP_URL), or undefined when it can. */
export function smtpUrlProblem(value: string): string | undefined {
  const refused = 'must be smtp://[user:password@]host[:port] or smtps://...';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refused;
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') return refused;
  return undefined;
}

/** Why a From address cannot be used (CRM_MAIL_FROM), or undefined when it can. */
export function mailFromProblem(value: string): string | undefined {
  return ADDRESS.test(value.trim()) ? undefined : 'must be an email address, optionally with a name: CRM <crm@example.com>';
}

function addressesOf(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  return list && list.length > 0 && list.length <= 50 && list.every((a) => typeof a === 'string' && ADDRESS.test(a.trim())) ? (list as string[]) : undefined;
}

function payloadProblems(payload: JsonObject): { path: string; reason: Reason }[] {
  const problems: { path: string; reason: Reason }[] = [];
  for (const name of Object.keys(payload)) if (!PAYLOAD_PROPERTIES.has(name)) problems.push({ path: name, reason: reason('not_email_property', { properties: [...PAYLOAD_PROPERTIES] }) });
  if (!addressesOf(payload.to)) problems.push({ path: 'to', reason: reason('must_be_email_list', { max: 50 }) });
  for (const name of ['cc', 'bcc'] as const) if (payload[name] !== undefined && !addressesOf(payload[name])) problems.push({ path: name, reason: reason('must_be_email_list', { max: 50 }) });
  if (payload.reply_to !== undefined && !(typeof payload.reply_to === 'string' && ADDRESS.test(payload.reply_to))) problems.push({ path: 'reply_to', reason: reason('must_be_email') });
  if (typeof payload.subject !== 'string' || payload.subject.trim() === '') problems.push({ path: 'subject', reason: reason('is_required') });
  if (payload.text === undefined && payload.html === undefined) problems.push({ path: 'text', reason: reason('one_of_required', { choices: ['text', 'html'] }) });
  for (const name of ['subject', 'text', 'html'] as const) {
    const value = payload[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') problems.push({ path: name, reason: reason('must_be_string') });
    else if (payload.record !== undefined) {
      const problem = templateProblem(value);
      if (problem) problems.push({ path: name, reason: reason('invalid_template', { problem }) });
    }
  }
  if (payload.record !== undefined && (typeof payload.record !== 'object' || payload.record === null || Array.isArray(payload.record))) problems.push({ path: 'record', reason: reason('must_be_json_object') });
  const texts = payload.field_texts;
  if (texts !== undefined && (typeof texts !== 'object' || texts === null || Array.isArray(texts) || Object.values(texts).some((t) => typeof t !== 'string'))) {
    problems.push({ path: 'field_texts', reason: reason('must_be_json_object') });
  }
  return problems;
}

/** A Message-ID that is the same on every attempt, from the delivery id (which may hold any character). */
function messageIdFor(deliveryId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${createHash('sha256').update(deliveryId).digest('hex').slice(0, 32)}@${domain}>`;
}

/**
 * Sends the email through SMTP (nodemailer). The subject and bodies are rendered from the record
 * when the job carries one. A refusal or an unreachable server fails the attempt, and it is retried.
 */
export function emailTask(options: MailOptions = {}): { handler: JobHandler; options: TaskOptions } {
  const from = options.from || DEFAULT_FROM;
  const urlProblem = options.smtpUrl ? smtpUrlProblem(options.smtpUrl) : undefined;
  if (urlProblem) throw new Error(`mail option smtpUrl ${urlProblem}`);
  const fromProblem = mailFromProblem(from);
  if (fromProblem) throw new Error(`mail option from ${fromProblem}`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  let transport: Promise<Transporter> | undefined;
  const handler: JobHandler = async (job) => {
    if (!options.smtpUrl) throw new Error(`email is not configured: set ${SMTP_URL_VARIABLE}`);
    // nodemailer is loaded with the first email, not at every start; one transport for all jobs.
    const smtpUrl = options.smtpUrl;
    transport ??= import('nodemailer')
      .then(({ default: mailer }) => mailer.createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }))
      .catch((error: unknown) => {
        transport = undefined;
        throw error;
      });
    const payload = job.payload as unknown as EmailPayload;
    const record = payload.record;
    const texts = payload.field_texts;
    const fieldText = texts ? (name: string) => (Object.prototype.hasOwnProperty.call(texts, name) ? texts[name] : undefined) : undefined;
    const render = (template: string | undefined, html = false) => (template === undefined || !record ? template : renderTemplate(template, record, { html, ...(fieldText ? { fieldText } : {}) }));
    const deliveryId = job.key ?? job.id;
    const info = (await (await transport).sendMail({
      from,
      to: addressesOf(payload.to),
      ...(payload.cc ? { cc: addressesOf(payload.cc) } : {}),
      ...(payload.bcc ? { bcc: addressesOf(payload.bcc) } : {}),
      ...(payload.reply_to ? { replyTo: payload.reply_to } : {}),
      // A rendered subject is one line, whatever the record holds.
      subject: render(payload.subject)!.replace(/[\r\n]+/g, ' '),
      ...(payload.text !== undefined ? { text: render(payload.text) } : {}),
      ...(payload.html !== undefined ? { html: render(payload.html, true) } : {}),
      messageId: messageIdFor(deliveryId, from),
      headers: { [DELIVERY_HEADER]: deliveryId },
    })) as { messageId: string; accepted: unknown[]; rejected: unknown[]; response: string };
    return { message_id: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response, delivered_at: new Date().toISOString() };
  };
  return { handler, options: { validate: payloadProblems, timeoutMs: timeoutMs * 3 + 5000, secretProperties: [] } };
}
