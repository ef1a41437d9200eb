import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN, type ApiAnswer, type ApiSession, type Browser, type E2eServer, type Page } from '../../tests/e2e/support';

/** What each UI figure module gets from bench/ui.ts: the running server and browser. */
export interface UiBench {
  /** The server's address, and its administrator (API session and sign-in) who makes each figure's metadata and records. */
  readonly base: string;
  readonly admin: ApiSession;
  readonly credentials: { readonly email: string; readonly password: string };
  readonly browser: Browser;
  /** False: the figure's object and records are already there (a rerun against the same server). */
  readonly seed?: boolean;
  /** Alternating rounds of ours and the baseline. */
  readonly rounds: number;
}

export function expectStatus(answer: ApiAnswer, status: number, what: string): ApiAnswer {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** Creates records through the bulk API, 1,000 a request (its limit), all or nothing. */
export async function bulkCreate(session: ApiSession, object: string, records: readonly Record<string, unknown>[]): Promise<void> {
  for (let at = 0; at < records.length; at += 1000) {
    const answer = expectStatus(
      await session.call('POST', `/api/records/${object}/bulk`, { operation: 'create', all_or_nothing: true, records: records.slice(at, at + 1000) }),
      200,
      `bulk create of ${object}`,
    );
    if (answer.body.committed !== true) throw new Error(`bulk create of ${object} not committed: ${JSON.stringify(answer.body.summary)}`);
  }
}

/** An object (document with its fields), one view of it and its records, made by `admin`. */
export async function seedObject(admin: ApiSession, object: Record<string, unknown> & { name: string }, view: Record<string, unknown>, records: readonly Record<string, unknown>[]): Promise<void> {
  expectStatus(await admin.call('POST', '/api/meta/objects', object), 201, `creating ${object.name}`);
  expectStatus(await admin.call('POST', `/api/meta/objects/${object.name}/views`, view), 201, `creating the view of ${object.name}`);
  await bulkCreate(admin, object.name, records);
}

/** A throw-away HTTP server for the plain pages the figures compare against (no framework, no CSP). */
export async function plainPages(pages: Readonly<Record<string, { type: string; body: string }>>): Promise<{ base: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const page = pages[request.url ?? '/'] ?? pages['/'];
    response.writeHead(page ? 200 : 404, { 'content-type': page?.type ?? 'text/plain', 'cache-control': 'no-store' });
    response.end(page?.body ?? '');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** Waits until `expression` (JavaScript run in the page) is true. */
export async function waitInPage(page: Page, expression: string, timeout = 60_000): Promise<void> {
  // A string expression goes through the DevTools protocol, which the app's CSP does not cover.
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(50);
  }
}

export const PAGE_HTML = 'text/html; charset=utf-8';

/** The bench as bench/ui.ts runs it: on the e2e server, as its administrator. */
export function uiBench(server: E2eServer, browser: Browser, rounds: number): UiBench {
  return { base: server.base, admin: server.admin, credentials: ADMIN, browser, rounds };
}
