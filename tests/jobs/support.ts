import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Polls until `check` holds; fails after `ms`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Receipt {
  readonly delivery: string;
  readonly attempt: number;
  readonly signature: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  /** What the receiver answered (0: it dropped the connection). */
  readonly status: number;
  readonly at: number;
}

export type ReceiverMode = 'ok' | 'error' | 'reset';

/**
 * A real webhook receiver on a loopback port, as a customer would run one: it records every
 * request and answers 200, 500 or drops the connection, as told.
 */
export interface Receiver {
  readonly url: string;
  mode: ReceiverMode;
  readonly receipts: Receipt[];
  /** Requests with this delivery id that were answered 2xx: what the customer's system acted on. */
  delivered(delivery: string): number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receipts: Receipt[] = [];
  const state = { mode: 'ok' as ReceiverMode };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const mode = state.mode;
      const status = mode === 'ok' ? 200 : mode === 'error' ? 500 : 0;
      receipts.push({
        delivery: String(request.headers['x-crm-delivery']),
        attempt: Number(request.headers['x-crm-attempt']),
        signature: request.headers['x-crm-signature'] as string | undefined,
        headers: request.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
        status,
        at: Date.now(),
      });
      if (mode === 'reset') {
        request.socket.destroy();
        return;
      }
      response.writeHead(status, { 'content-type': 'text/plain' }).end(mode === 'ok' ? 'thanks' : 'receiver is broken today');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/crm`,
    get mode() {
      return state.mode;
    },
    set mode(mode: ReceiverMode) {
      state.mode = mode;
    },
    receipts,
    delivered: (delivery) => receipts.filter((r) => r.delivery === delivery && r.status >= 200 && r.status < 300).length,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/**
 * A real SMTP server on a loopback port (smtp-server), keeping what it accepts parsed as a mail
 * client would (mailparser). `refusals` maps a recipient to how many more messages to refuse
 * with a temporary 451.
 */
export interface Mailbox {
  readonly smtpUrl: string;
  readonly mails: ParsedMail[];
  readonly refusals: Map<string, number>;
  close(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const mails: ParsedMail[] = [];
  const refusals = new Map<string, number>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      void simpleParser(stream).then((mail) => {
        const recipient = session.envelope.rcptTo[0]?.address ?? '';
        const left = refusals.get(recipient) ?? 0;
        if (left > 0) {
          refusals.set(recipient, left - 1);
          callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
          return;
        }
        mails.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
  const { port } = smtp.server.address() as AddressInfo;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    mails,
    refusals,
    close: () => new Promise<void>((done) => smtp.close(() => done())),
  };
}
