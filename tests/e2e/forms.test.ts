import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTemplate, systemActor, userActor } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServer, type TestServer } from '../support/test-server';

/**
 * The record form in a real browser against the real app (built runtime UI, sales template): a
 * rep creates an opportunity; a validation rule's message shows before submitting; a duplicate
 * unique value comes back from the server onto its field; a half-filled form survives a reload.
 * Self-contained (PGlite); skipped on PostgreSQL runs, without chromium or without a built UI.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UI = resolve(root, 'runtime-ui', 'dist');
const PASSWORD = 'forms-test-password-1';
const REP_EMAIL = 'rep.forms@example.com';
const skip = Boolean(process.env.DATABASE_URL) || !existsSync(CHROMIUM) || !existsSync(resolve(UI, 'index.html'));

describe.skipIf(skip)('record forms in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer({ app: { runtimeUiDir: UI, studioDir: resolve(root, 'studio', 'dist'), auth: { secureCookies: false } } });
    const { engine } = server;
    await installTemplate(engine, systemActor, readTemplate('sales'));
    // A unique field on the form, so a duplicate comes back from the server (only it can tell).
    await engine.fields.create(systemActor, 'opportunity', { name: 'code', type: 'text', label: { en: 'Deal code', 'zh-CN': '商机代码' }, unique: true });
    const form = await engine.layouts.get(systemActor, 'opportunity', 'opportunity_form');
    const [first, ...rest] = form.sections;
    await engine.layouts.update(systemActor, 'opportunity', 'opportunity_form', { sections: [{ ...first!, fields: [...first!.fields, { field: 'code' }] }, ...rest] });
    const rep = await engine.users.create(systemActor, { name: 'Rita Rep', email: REP_EMAIL, roles: ['sales_rep'] });
    await engine.auth.setPassword(systemActor, rep.id, PASSWORD);
    const account = await engine.records.create(userActor(rep.id), 'account', { name: '华信科技' });
    await engine.records.create(userActor(rep.id), 'opportunity', { title: 'Existing', account: account.id, code: 'DUP-1' });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    // Reloading a form with unsaved input asks first (beforeunload): the test answers "leave".
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${server.base}/`);
    await page.fill('#sign-in-email', REP_EMAIL);
    await page.fill('#sign-in-password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.shell__header', { timeout: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopTestServer(server);
  });

  const field = (name: string) => `#field-opportunity-${name}`;
  const helpOf = (name: string) => page.locator(`${field(name)}-help`);

  async function choose(name: string, optionText: string, search?: string) {
    await page.click(field(name));
    if (search !== undefined) await page.keyboard.type(search);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: optionText }).first().click();
  }

  it('shows a validation rule before submitting, a duplicate unique value from the server on its field, and saves', async () => {
    await page.goto(`${server.base}/o/opportunity/new`);
    await page.waitForSelector(field('title'));
    // Defaults are shown on create.
    await expect.poll(() => page.locator('.ant-select', { has: page.locator(field('stage')) }).innerText()).toContain('初步接洽');
    await page.fill(field('title'), '华信 CRM 项目');
    await choose('account', '华信科技', '华信');
    await choose('stage', '输单');
    // The rule's own words, from core's check in the browser, on the field it points at.
    await expect.poll(() => helpOf('loss_reason').textContent()).toBe('输单的商机须选择输单原因');
    await choose('loss_reason', '价格');
    await expect.poll(() => helpOf('loss_reason').count()).toBe(0);

    await page.fill(field('code'), 'DUP-1');
    await page.click('button[type=submit]');
    await expect.poll(() => helpOf('code').textContent(), { timeout: 10_000 }).toContain('商机代码');
    expect(new URL(page.url()).pathname).toBe('/o/opportunity/new');

    await page.fill(field('code'), 'NEW-1');
    await expect.poll(() => helpOf('code').count()).toBe(0);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/o\/opportunity\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const saved = await server.engine.records.get(systemActor, 'opportunity', id);
    expect(saved).toMatchObject({ title: '华信 CRM 项目', stage: 'lost', loss_reason: 'price', code: 'NEW-1', probability: '10.00' });
  }, 90_000);

  it('keeps a half-filled form through a reload, and discards the draft on request', async () => {
    await page.goto(`${server.base}/o/opportunity/new`);
    await page.waitForSelector(field('title'));
    await page.fill(field('title'), 'Half done');
    await page.fill(field('amount'), '1234.567');
    await page.waitForTimeout(800); // the draft is written after a pause in typing
    await page.reload();
    await page.waitForSelector(field('title'));
    expect(await page.inputValue(field('title'))).toBe('Half done');
    expect(await page.inputValue(field('amount'))).toBe('1234.567');
    await expect.poll(() => page.getByText('已恢复草稿').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: '丢弃草稿' }).click();
    await expect.poll(() => page.inputValue(field('title'))).toBe('');
    await page.reload();
    await page.waitForSelector(field('title'));
    expect(await page.inputValue(field('title'))).toBe('');
  }, 90_000);

  it('offers its check to tests in the API shape (browserIssues), agreeing with the API for the same user', async () => {
    await page.goto(`${server.base}/o/opportunity/new`);
    await page.waitForSelector(field('title'));
    const input = { title: null, stage: 'lost', amount: '12.345', close_date: '2024-02-30', nothing: 1 };
    const [browserSide, apiSide] = await page.evaluate(async (body) => {
      const csrf = decodeURIComponent(document.cookie.split('; ').find((c: string) => c.startsWith('crm_csrf='))?.split('=')[1] ?? '');
      const response = await fetch('/api/records/opportunity', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, 'accept-language': 'zh-CN' },
        body: JSON.stringify(body),
      });
      return [window.crmForms!.browserIssues('opportunity', body), { status: response.status, body: (await response.json()) as ApiBody }] as const;
    }, input);
    expect(browserSide.ok).toBe(false);
    if (browserSide.ok) return;
    expect(browserSide.status).toBe(apiSide.status);
    expect(browserSide.zh).toEqual(apiSide.body);
    expect(browserSide.zh.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['account', 'amount', 'close_date', 'nothing', 'title']);
  }, 60_000);
});

interface ApiBody {
  error: { code: string; message: string; fields: { path: string; code: string; message: string; field?: string }[] };
}
type BrowserIssues = { ok: true } | { ok: false; status: number; en: ApiBody; zh: ApiBody };
// The page's globals, as the functions passed to page.evaluate see them (this package has no DOM types).
declare const document: { cookie: string };
declare const window: { crmForms?: { browserIssues(object: string, input: unknown, old?: Record<string, unknown>): BrowserIssues } };
