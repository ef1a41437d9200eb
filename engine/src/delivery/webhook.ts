import { createHmac, timingSafeEqual } from 'node:crypto';
import { reason, type Reason } from '../errors';
import type { JobHandler, JsonObject, TaskOptions } from '../jobs';

export const WEBHOOK_TASK = 'webhook';
export const SIGNATURE_HEADER = 'X-CRM-Signature';
export const DELIVERY_HEADER = 'X-CRM-Delivery';
/** The setting webhooks are signed with. */
export const WEBHOOK_SECRET_VARIABLE = 'CRM_WEBHOOK_SECRET';

/** What a `webhook` job carries. */
export interface WebhookPayload {
  /** http(s) address the JSON body is POSTed to. */
  readonly url: string;
  /** Any JSON value; sent as the request body. */
  readonly body: unknown;
  /** Signs this delivery instead of the configured secret (never shown to administrators). */
  readonly secret?: string;
}

export interface WebhookOptions {
  /** Signs every delivery whose job carries no secret of its own (CRM_WEBHOOK_SECRET). */
  readonly secret?: string | undefined;
  /** How long a receiver has to answer (default 10 s). */
  readonly timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const PAYLOAD_PROPERTIES = new Set(['url', 'body', 'secret']);

/** `sha256=<hex>`: HMAC-SHA256 of the exact bytes of the body, keyed with the webhook secret. */
export function signWebhookBody(secret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** What a receiver does: recompute the signature over the raw body and compare in constant time. */
export function verifyWebhookSignature(secret: string, rawBody: string | Uint8Array, header: string | null | undefined): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signWebhookBody(secret, rawBody));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * What is wrong with the job itself. A missing secret is not: settings are checked when the
 * server starts and when a workflow is saved, and a write must never fail because of one (the
 * job fails instead, saying which variable to set, and succeeds on a retry once it is set).
 */
function payloadProblems(payload: JsonObject): { path: string; reason: Reason }[] {
  const problems: { path: string; reason: Reason }[] = [];
  for (const name of Object.keys(payload)) if (!PAYLOAD_PROPERTIES.has(name)) problems.push({ path: name, reason: reason('not_webhook_property', { properties: [...PAYLOAD_PROPERTIES] }) });
  if (typeof payload.url !== 'string' || !isHttpUrl(payload.url)) problems.push({ path: 'url', reason: reason('must_be_http_url') });
  if (payload.body === undefined) problems.push({ path: 'body', reason: reason('required_any_json') });
  if (payload.secret !== undefined && !(typeof payload.secret === 'string' && payload.secret.length > 0)) problems.push({ path: 'secret', reason: reason('must_be_non_empty_string') });
  return problems;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * Reads the answer's body up to a limit (its start goes into a failed delivery's error). A small
 * body read to its end lets the connection be reused; a larger one is cut off.
 */
async function readBody(response: Response, limit = 64 * 1024): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks).toString('utf8');
      chunks.push(Buffer.from(value));
      size += value.length;
    }
    await reader.cancel();
  } catch {
    // A body that breaks off says nothing more about the delivery than its status.
  }
  return Buffer.concat(chunks).toString('utf8');
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat;
}

/**
 * POSTs the body, signed, with the job's idempotency key as the delivery id (the same on every
 * attempt, so a receiver can drop a duplicate). A 2xx completes the job; anything else, a
 * redirect included, or no answer in time, fails the attempt and it is retried.
 */
export function webhookTask(options: WebhookOptions = {}): { handler: JobHandler; options: TaskOptions } {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const handler: JobHandler = async (job) => {
    const payload = job.payload as unknown as WebhookPayload;
    const secret = payload.secret ?? options.secret;
    if (!secret) throw new Error(`not sent: no webhook secret is configured; set ${WEBHOOK_SECRET_VARIABLE} and restart the server (or give the job a secret)`);
    const raw = JSON.stringify(payload.body);
    const deliveryId = job.key ?? job.id;
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(payload.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'crm-webhooks/1',
          [SIGNATURE_HEADER]: signWebhookBody(secret, raw),
          [DELIVERY_HEADER]: deliveryId,
          'X-CRM-Attempt': String(job.attempt),
        },
        body: raw,
        redirect: 'manual',
        signal: AbortSignal.any([job.signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
      throw new Error(`could not deliver to ${new URL(payload.url).origin}: ${reason}`);
    }
    const answer = snippet(await readBody(response));
    if (response.status < 200 || response.status > 299) {
      throw new Error(`${new URL(payload.url).origin} answered HTTP ${response.status}${answer ? `: ${answer}` : ''}`);
    }
    return { status: response.status, delivery_id: deliveryId, delivered_at: new Date().toISOString(), duration_ms: Math.round(performance.now() - started) };
  };
  return {
    handler,
    // The job's own limit leaves the request its full time and a margin to record the answer.
    options: { validate: payloadProblems, timeoutMs: timeoutMs + 5000, secretProperties: ['secret'] },
  };
}
