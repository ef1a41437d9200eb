import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDataDir } from '@crm/engine/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, tokenFor, type ServerProcess } from '../support/spawn-server';

/**
 * The record page in a real browser against the real server (demo template, embedded database):
 * layout values, inline edit, related lists, submitting for approval, delete and restore from
 * the recycle bin. Self-contained: it builds the runtime UI when dist/ is missing or older than
 * its sources, spawns the server, and drives Debian's chromium.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const uiDir = join(root, 'runtime-ui');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN = { email: 'page-admin@example.com', password: 'page admin password 1' };
const REP = { email: 'wang.fang@example.com', password: 'rep password 123' };

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureUiBuilt(): void {
  const index = join(uiDir, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(join(uiDir, 'src'))) return;
  execFileSync(process.execPath, [join(uiDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: uiDir, stdio: 'pipe' });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Pages load data after they render: wait up to 15 s for what the user would see. */
const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 200 });

describe.skipIf(Boolean(process.env.DATABASE_URL) || !existsSync(CHROMIUM))('record page (browser)', () => {
  let server: ServerProcess;
  let dataDir: string;
  let browser: Browser;
  let token: string;
  let repId: string;
  let deal: Json;
  let account: Json;

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
    const response = await fetch(server.base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
  }

  async function signedIn(credentials: { email: string; password: string }, viewport = { width: 1440, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    await context.addInitScript({ content: "localStorage.setItem('crm.locale', 'en')" });
    const page = await context.newPage();
    await page.goto(server.base + '/');
    await page.fill('#sign-in-email', credentials.email);
    await page.fill('#sign-in-password', credentials.password);
    await page.click('button[type=submit]');
    await page.locator('#sign-in-email').waitFor({ state: 'detached' });
    return page;
  }

  beforeAll(async () => {
    ensureUiBuilt();
    dataDir = await createTestDataDir('crm-record-page-');
    server = await spawnServer({ CRM_DATA_DIR: dataDir, CRM_DEMO: '1', CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password, CRM_SECURE_COOKIES: '0' });
    token = await tokenFor(server, ADMIN);
    const manager = await api('POST', '/api/users', { name: '李强', email: 'li.qiang@example.com', roles: ['sales_manager'] });
    const rep = await api('POST', '/api/users', { name: '王芳', email: REP.email, roles: ['sales_rep'], manager_id: manager.body.id });
    repId = rep.body.id;
    expect((await api('POST', `/api/users/${repId}/password`, { password: REP.password })).status).toBeLessThan(300);
    // The rep's deal: large enough for the approval process, with an account that has contacts.
    const deals = await api('GET', `/api/records/opportunity?limit=200&filter=${encodeURIComponent(JSON.stringify({ '>': [{ var: 'amount' }, 500000] }))}`);
    deal = deals.body.data.find((d: Json) => d.stage !== 'won' && d.stage !== 'lost');
    account = (await api('GET', `/api/records/account/${deal.account}`)).body;
    expect((await api('POST', '/api/records/opportunity/transfer', { ids: [deal.id], owner_id: repId })).status).toBe(200);
    expect((await api('POST', '/api/records/account/transfer', { ids: [account.id], owner_id: repId })).status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the detail layout, key fields and the related lists of an account', async () => {
    const page = await signedIn(REP);
    await page.goto(`${server.base}/o/account/${account.id}`);
    await eventually(() => page.getByRole('heading', { name: account.name }).count()).toBe(1);
    // A value of the detail layout (the account number) and a related list of contacts with one child.
    await eventually(() => page.getByText(account.number, { exact: true }).count()).toBeGreaterThan(0);
    const contacts = (await api('GET', `/api/records/contact?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'account' }, account.id] }))}`)).body.data;
    expect(contacts.length).toBeGreaterThan(0);
    await eventually(() => page.getByRole('link', { name: contacts[0].full_name }).count()).toBe(1);
    // "Add" opens the child's form with the reference filled in.
    await page.getByRole('button', { name: 'Add Contact' }).click();
    await eventually(() => page.url()).toContain(`/o/contact/new?account=${account.id}`);
    await page.context().close();
  }, 90_000);

  it('saves an inline edit with If-Match and shows the new value', async () => {
    const page = await signedIn(REP);
    await page.goto(`${server.base}/o/opportunity/${deal.id}`);
    await page.getByRole('button', { name: 'Edit Description' }).click();
    await page.getByLabel('Description', { exact: true }).fill('Needs the director this week');
    await page.getByRole('button', { name: 'Save Description' }).click();
    await eventually(async () => (await api('GET', `/api/records/opportunity/${deal.id}`)).body.description).toBe('Needs the director this week');
    await eventually(() => page.getByText('Needs the director this week').count()).toBeGreaterThan(0);
    // Someone else changes the record: the next inline save is a 412, said plainly, and the page reloads.
    const current = (await api('GET', `/api/records/opportunity/${deal.id}`)).body;
    await api('PATCH', `/api/records/opportunity/${deal.id}`, { description: 'Changed elsewhere' }, { 'If-Match': `"${current.version}"` });
    await page.getByRole('button', { name: 'Edit Description' }).click();
    await page.getByLabel('Description', { exact: true }).fill('Mine');
    await page.getByRole('button', { name: 'Save Description' }).click();
    await eventually(() => page.getByText('Someone else changed this record meanwhile', { exact: false }).count()).toBeGreaterThan(0);
    await eventually(() => page.getByText('Changed elsewhere').count()).toBeGreaterThan(0);
    await page.context().close();
  }, 90_000);

  it('submits for approval and shows the pending state with its approver', async () => {
    const page = await signedIn(REP);
    await page.goto(`${server.base}/o/opportunity/${deal.id}`);
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Submit for approval' }).click();
    await eventually(() => page.getByText('Waiting for approval', { exact: false }).count()).toBeGreaterThan(0);
    await eventually(() => page.getByText('李强', { exact: false }).count()).toBeGreaterThan(0);
    const requests = (await api('GET', `/api/records/opportunity/${deal.id}/approvals`)).body.data;
    expect(requests[0].status).toBe('pending');
    // Locked: no pencil, and the submission is in the timeline.
    expect(await page.getByRole('button', { name: 'Edit Description' }).count()).toBe(0);
    await eventually(() => page.getByText('王芳 submitted it for approval', { exact: false }).count()).toBeGreaterThan(0);
    await page.context().close();
  }, 90_000);

  it('deletes a record to the recycle bin and restores it from there (phone size)', async () => {
    const victim = (await api('GET', '/api/records/opportunity?limit=1&sort=-amount')).body.data.find((d: Json) => d.id !== deal.id) ?? (await api('GET', '/api/records/opportunity?limit=5')).body.data.find((d: Json) => d.id !== deal.id);
    const page = await signedIn(ADMIN, { width: 375, height: 812 });
    await page.goto(`${server.base}/o/opportunity/${victim.id}`);
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await eventually(() => page.url()).toMatch(/\/o\/opportunity$/);
    expect((await api('GET', `/api/records/opportunity/${victim.id}`)).status).toBe(404);
    await page.goto(`${server.base}/o/opportunity/recycle-bin`);
    await page.getByRole('button', { name: `Restore ${victim.title}` }).click();
    await eventually(async () => (await api('GET', `/api/records/opportunity/${victim.id}`)).status).toBe(200);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await page.context().close();
  }, 90_000);
});
