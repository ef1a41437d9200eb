import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, openPage, screenshot, signInThroughForm, useE2eSession, type E2ePage } from './support';

/**
 * The record form in a real browser against the real server (sales demo): a rep creates an
 * opportunity; a validation rule's message shows before submitting; a duplicate unique value
 * comes back from the server onto its field; a half-filled form survives a reload; the form's
 * own check (browserIssues) answers what the API answers.
 */

describeE2e('record forms in the browser', () => {
  const e2e = useE2eSession();
  let target: E2ePage;
  let page: Page;
  /** A tier A account (its notes section shows) with two tags and two lines of notes, the rep's. */
  let strategic: string;

  beforeAll(async () => {
    // A unique field on the form, so a duplicate comes back from the server (only it can tell).
    const created = await e2e.server.admin.call('POST', '/api/meta/objects/opportunity/fields', { name: 'code', type: 'text', label: { en: 'Deal code', 'zh-CN': '商机代码' }, unique: true });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const form = (await e2e.server.admin.call('GET', '/api/meta/objects/opportunity/layouts/opportunity_form')).body as { sections: { fields: { field: string }[] }[] };
    const [first, ...rest] = form.sections;
    const updated = await e2e.server.admin.call('PATCH', '/api/meta/objects/opportunity/layouts/opportunity_form', { sections: [{ ...first!, fields: [...first!.fields, { field: 'code' }] }, ...rest] });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const rep = await e2e.server.createUser({ name: 'Rita Rep', roles: ['sales_rep'] });
    const session = await e2e.server.signIn(rep.email, rep.password);
    const account = await session.call('POST', '/api/records/account', { name: '华信科技' });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    const existing = await session.call('POST', '/api/records/opportunity', { title: 'Existing', account: account.body.id, code: 'DUP-1' });
    expect(existing.status, JSON.stringify(existing.body)).toBe(201);
    const withNotes = await session.call('POST', '/api/records/account', { name: '金融通', tier: 'a', tags: ['vip', 'partner'], notes: 'first line\nsecond line' });
    expect(withNotes.status, JSON.stringify(withNotes.body)).toBe(201);
    strategic = withNotes.body.id;

    target = await openPage(e2e.browser, { language: 'zh-CN' });
    page = target.page;
    // Reloading a form with unsaved input asks first (beforeunload): the test answers "leave".
    page.on('dialog', (dialog) => void dialog.accept());
    await signInThroughForm(page, e2e.server.base, rep);
  }, 180_000);

  afterAll(async () => {
    await target?.close();
  });

  const field = (name: string) => `#field-opportunity-${name}`;
  const helpOf = (name: string) => page.locator(`${field(name)}-help`);

  async function choose(name: string, optionText: string, search?: string) {
    await page.click(field(name));
    if (search !== undefined) await page.keyboard.type(search);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: optionText }).first().click();
  }

  it('shows a validation rule before submitting, a duplicate unique value from the server on its field, and saves', async () => {
    await page.goto(`${e2e.server.base}/o/opportunity/new`);
    await page.waitForSelector(field('title'));
    // Defaults are shown on create.
    await expect.poll(() => page.locator('.ant-select', { has: page.locator(field('stage')) }).innerText()).toContain('初步接洽');
    await screenshot(target, 'form-new');
    await page.fill(field('title'), '华信 CRM 项目');
    await choose('account', '华信科技', '华信');
    await choose('stage', '输单');
    // The rule's own words, from core's check in the browser, on the field it points at.
    await expect.poll(() => helpOf('loss_reason').textContent()).toBe('输单的商机须选择输单原因');
    await screenshot(target, 'form-rule');
    await choose('loss_reason', '价格');
    await expect.poll(() => helpOf('loss_reason').count()).toBe(0);

    await page.fill(field('code'), 'DUP-1');
    await page.click('.record-form__actions .ant-btn-primary');
    await expect.poll(() => helpOf('code').textContent(), { timeout: 10_000 }).toContain('商机代码');
    expect(new URL(page.url()).pathname).toBe('/o/opportunity/new');

    await page.fill(field('code'), 'NEW-1');
    await expect.poll(() => helpOf('code').count()).toBe(0);
    // Each section is a form of its own (for the browser's autofill): Enter in a text field still saves the record.
    expect(await page.locator('.record-form form').count()).toBeGreaterThan(1);
    await page.press(field('code'), 'Enter');
    target.problems.assertNone();
    await page.waitForURL(/\/o\/opportunity\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await screenshot(target, 'form-saved');
    const saved = (await e2e.server.admin.call('GET', `/api/records/opportunity/${id}`)).body;
    expect(saved).toMatchObject({ title: '华信 CRM 项目', stage: 'lost', loss_reason: 'price', code: 'NEW-1', probability: '10.00' });
  }, 90_000);

  it('keeps a half-filled form through a reload, and discards the draft on request', async () => {
    await page.goto(`${e2e.server.base}/o/opportunity/new`);
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

  it('creates and edits an opportunity with the keyboard alone (no mouse)', async () => {
    const kb = page.keyboard;
    const focused = () => page.evaluate(() => {
      const active = document.activeElement;
      return { id: active?.id ?? '', label: active?.getAttribute('aria-label') ?? '', text: (active?.textContent ?? '').replace(/\s/g, '') }; // antd spaces two-character labels (创 建)
    });
    // Tab (or Shift+Tab) until the focused element matches, failing if it never comes.
    async function tabTo(matches: (el: { id: string; label: string; text: string }) => boolean, key = 'Tab') {
      for (let presses = 0; presses < 40; presses++) {
        await kb.press(key);
        if (matches(await focused())) return;
      }
      throw new Error(`not reachable with ${key}: ${String(matches)}`);
    }
    const ringed = () => page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
    });
    const selected = (name: string) => page.locator('.ant-select', { has: page.locator(field(name)) }).innerText();
    // From the focused select: open it with `opener`, move one option down, choose it.
    async function chooseNextStage(opener: string, expected: string) {
      await tabTo((el) => el.id === 'field-opportunity-stage');
      await kb.press(opener);
      // (the lookup's list may still be fading out: that one is leaving)
      await page.locator('.ant-select-dropdown:not(.ant-slide-up-leave):visible').waitFor();
      await kb.press('ArrowDown');
      await kb.press('Enter');
      await expect.poll(() => selected('stage')).toContain(expected);
    }

    await page.goto(`${e2e.server.base}/o/opportunity/new`);
    await page.waitForSelector(field('title'));
    await tabTo((el) => el.id === 'field-opportunity-title');
    await kb.type('键盘商机');
    await kb.press('Tab'); // the lookup: type to search the server, Enter picks the first match
    expect((await focused()).id).toBe('field-opportunity-account');
    await kb.type('华信');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '华信科技' }).first().waitFor();
    await kb.press('Enter');
    await expect.poll(() => selected('account')).toContain('华信科技');
    await chooseNextStage('ArrowDown', '需求分析'); // ArrowDown opens it on the current stage (初步接洽)
    await tabTo((el) => el.id === 'field-opportunity-close_date');
    await kb.type('2026-12-31');
    await kb.press('Enter'); // confirms the date, does not submit the form
    await expect.poll(() => page.inputValue(field('close_date'))).toBe('2026-12-31');
    expect(new URL(page.url()).pathname).toBe('/o/opportunity/new');
    await tabTo((el) => el.id === 'field-opportunity-amount');
    await kb.type('12345.5');
    await tabTo((el) => el.id === 'field-opportunity-close_date', 'Shift+Tab');
    await tabTo((el) => el.text === '创建');
    expect(await ringed()).toBe(true);
    await kb.press('Enter');
    await page.waitForURL(/\/o\/opportunity\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect((await e2e.server.admin.call('GET', `/api/records/opportunity/${id}`)).body).toMatchObject({ title: '键盘商机', stage: 'needs', close_date: '2026-12-31', amount: '12345.50' });

    // On the record page: the amount in place (focus goes into the input and comes back to its pencil) ...
    // (pencils show once the server said the record is editable)
    await page.getByRole('button', { name: '编辑金额' }).waitFor();
    await tabTo((el) => el.label === '编辑金额');
    expect(await ringed()).toBe(true);
    await kb.press('Enter');
    await expect.poll(async () => (await focused()).id).not.toBe('');
    await kb.press('Control+A');
    await kb.type('50000');
    await kb.press('Enter');
    await expect.poll(async () => (await focused()).label).toBe('编辑金额');
    await expect.poll(async () => (await e2e.server.admin.call('GET', `/api/records/opportunity/${id}`)).body.amount).toBe('50000.00');
    // ... then the whole form from the Edit button, starting from the record as it is now.
    await tabTo((el) => el.text === '编辑', 'Shift+Tab');
    await kb.press('Enter');
    await page.waitForURL(/\/edit$/);
    await page.waitForSelector(field('stage'));
    await chooseNextStage('Enter', '方案报价'); // Enter opens it too
    await tabTo((el) => el.text === '保存');
    await kb.press('Enter');
    await page.waitForURL(/\/o\/opportunity\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    expect((await e2e.server.admin.call('GET', `/api/records/opportunity/${id}`)).body).toMatchObject({ stage: 'proposal', amount: '50000.00' });
    target.problems.assertNone();
  }, 90_000);

  it('shows a multiselect as tags before it is reached, and puts a textarea caret where it is clicked or, from the keyboard, at the end', async () => {
    await page.goto(`${e2e.server.base}/o/account/${strategic}/edit`);
    const tags = page.locator('.form-field:has(#field-account-tags)');
    await tags.waitFor();
    // Nothing has reached the select yet: its light look-alike shows antd's tags, the labels as text.
    expect(await tags.locator('.field-input__light').count()).toBe(1);
    expect(await tags.locator('.ant-select-selection-item-content').allTextContents()).toEqual(['VIP', '合作伙伴']);
    await page.focus('#field-account-tags');
    await page.keyboard.press('Escape');
    await expect.poll(() => tags.locator('.field-input__light').count()).toBe(0);
    expect(await tags.locator('.ant-select-selection-item-content').allTextContents()).toEqual(['VIP', '合作伙伴']);

    // A click after the end of the first line puts the caret there, in the textarea the user keeps typing in.
    const notes = page.locator('#field-account-notes');
    await notes.scrollIntoViewIfNeeded();
    const box = (await notes.boundingBox())!;
    await page.mouse.click(box.x + box.width - 20, box.y + 12);
    await page.keyboard.type('X');
    expect(await notes.inputValue()).toBe('first lineX\nsecond line');
    await page.waitForTimeout(800); // the draft is written after a pause in typing

    // Reached from the keyboard in a fresh form (the draft brings the X back): the caret is at the end.
    await page.goto(`${e2e.server.base}/o/account/${strategic}/edit`);
    await notes.waitFor();
    await page.getByRole('button', { name: /^取\s?消$/ }).focus(); // antd spaces two-character labels
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('Y');
    expect(await notes.inputValue()).toBe('first lineX\nsecond lineY');
    await page.getByRole('button', { name: '丢弃草稿' }).click();
    await expect.poll(() => notes.inputValue()).toBe('first line\nsecond line');
  }, 90_000);

  it('offers its check to tests in the API shape (browserIssues), agreeing with the API for the same user', async () => {
    await page.goto(`${e2e.server.base}/o/opportunity/new`);
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
declare const document: { cookie: string; activeElement: { id: string; textContent: string | null; getAttribute(name: string): string | null } | null };
declare function getComputedStyle(element: unknown): { outlineStyle: string; boxShadow: string };
declare const window: { crmForms?: { browserIssues(object: string, input: unknown, old?: Record<string, unknown>): BrowserIssues } };
