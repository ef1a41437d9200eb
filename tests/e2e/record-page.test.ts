import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { ADMIN, describeE2e, openPage, screenshot, signInByApi, useE2eSession, type E2ePage, type E2eUser, type Size } from './support';

/**
 * The record page in a real browser on the demo data: the detail layout's values and related
 * lists, inline edit with If-Match (and the 412 reload), submitting for approval, and delete then
 * restore from the recycle bin (on a phone).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
type Json = any;

/** Pages load data after they render: wait up to 15 s for what the user would see. */
const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 200 });

describeE2e('record page', () => {
  const e2e = useE2eSession();
  let rep: E2eUser;
  let manager: E2eUser;
  let deal: Json;
  let account: Json;

  beforeAll(async () => {
    const department = await e2e.server.createDepartment('East sales');
    manager = await e2e.server.createUser({ name: '李强', roles: ['sales_manager'], department_id: department });
    rep = await e2e.server.createUser({ name: '王芳', roles: ['sales_rep'], department_id: department, manager_id: manager.id });
    // The rep's deal: large enough for the approval process, its account with contacts. One of the
    // administrator's own: the demo's sample rep has another waiting for approval, locked.
    const me = (await e2e.server.admin.call('GET', '/api/auth/me')).body.user.id as string;
    const filter = encodeURIComponent(JSON.stringify({ and: [{ '>': [{ var: 'amount' }, 500000] }, { '==': [{ var: 'owner_id' }, me] }] }));
    deal = (await e2e.server.admin.call('GET', `/api/records/opportunity?limit=200&filter=${filter}`)).body.data.find((d: Json) => d.stage !== 'won' && d.stage !== 'lost');
    account = (await e2e.server.admin.call('GET', `/api/records/account/${deal.account}`)).body;
    expect((await e2e.server.admin.call('POST', '/api/records/opportunity/transfer', { ids: [deal.id], owner_id: rep.id })).status).toBe(200);
    expect((await e2e.server.admin.call('POST', '/api/records/account/transfer', { ids: [account.id], owner_id: rep.id })).status).toBe(200);
  }, 240_000);


  /** Signs `user` in on a fresh page at `path` (English), runs the steps, and checks the page reported no problems. */
  async function onPage(user: { email: string; password: string }, path: string, size: Size, steps: (page: Page, target: E2ePage) => Promise<void>): Promise<void> {
    const target = await openPage(e2e.browser, { language: 'en', size });
    try {
      await signInByApi(target.page, e2e.server.base, user, path);
      await steps(target.page, target);
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }

  it('shows the detail layout, key fields and the related lists of an account', async () => {
    await onPage(rep, `/o/account/${account.id}`, 'desktop', async (page, target) => {
      await eventually(() => page.getByRole('heading', { name: account.name }).count()).toBe(1);
      // The title sits under its object's name, as one heading block (antd's margin above a title after text once set it 28 px apart).
      const gap = await page.locator('.record-header__title').evaluate((title) => title.getBoundingClientRect().top - title.previousElementSibling!.getBoundingClientRect().bottom);
      expect(gap).toBeLessThan(12);
      // A value of the detail layout (the account number), and the contacts related list with its children.
      await eventually(() => page.getByText(account.number, { exact: true }).count()).toBeGreaterThan(0);
      const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'account' }, account.id] }));
      const contacts = (await e2e.server.admin.call('GET', `/api/records/contact?filter=${filter}`)).body.data;
      expect(contacts.length).toBeGreaterThan(0);
      await eventually(() => page.getByRole('link', { name: contacts[0].full_name }).count()).toBe(1);
      await screenshot(target, 'record-account', { fullPage: true });
      // "Add" opens the child's form with the reference filled in.
      await page.getByRole('button', { name: 'Add Contact' }).click();
      await eventually(() => page.url()).toContain(`/o/contact/new?account=${account.id}`);
      // The form starts with the parent in its lookup, shown by its title.
      await eventually(() => page.locator('.record-form-page').getByText(account.name, { exact: true }).count()).toBeGreaterThan(0);
    });
  }, 90_000);

  it('saves an inline edit with If-Match; a record changed meanwhile is reloaded with a clear message', async () => {
    await onPage(rep, `/o/opportunity/${deal.id}`, 'desktop', async (page) => {
      await page.getByRole('button', { name: 'Edit Description' }).click();
      await page.getByLabel('Description', { exact: true }).fill('Needs the director this week');
      // A save reads the record again; the other writer must come after that read, or the page would
      // already hold their version (no conflict to show).
      const reread = page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === `/api/records/opportunity/${deal.id}`, { timeout: 30_000 });
      await page.getByRole('button', { name: 'Save Description' }).click();
      await reread;
      await eventually(async () => (await e2e.server.admin.call('GET', `/api/records/opportunity/${deal.id}`)).body.description).toBe('Needs the director this week');
      await eventually(() => page.getByText('Needs the director this week').count()).toBeGreaterThan(0);
      // Someone else changes the record: the next inline save is a 412, said plainly, and the page shows their value.
      const current = (await e2e.server.admin.call('GET', `/api/records/opportunity/${deal.id}`)).body;
      await e2e.server.admin.call('PATCH', `/api/records/opportunity/${deal.id}`, { description: 'Changed elsewhere' }, { 'If-Match': `"${current.version}"` });
      await page.getByRole('button', { name: 'Edit Description' }).click();
      await page.getByLabel('Description', { exact: true }).fill('Mine');
      await page.getByRole('button', { name: 'Save Description' }).click();
      await eventually(() => page.getByText('Someone else changed this record meanwhile', { exact: false }).count()).toBeGreaterThan(0);
      await eventually(() => page.getByText('Changed elsewhere').count()).toBeGreaterThan(0);
    });
  }, 90_000);

  it('submits for approval and shows the pending state with its approver, the record locked', async () => {
    await onPage(rep, `/o/opportunity/${deal.id}`, 'desktop', async (page, target) => {
      await page.getByRole('button', { name: 'Submit for approval' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Submit for approval' }).click();
      await eventually(() => page.getByText('Waiting for approval', { exact: false }).count()).toBeGreaterThan(0);
      await eventually(() => page.getByText('waiting on 李强', { exact: false }).count()).toBeGreaterThan(0);
      const requests = (await e2e.server.admin.call('GET', `/api/records/opportunity/${deal.id}/approvals`)).body.data;
      expect(requests[0].status).toBe('pending');
      // Locked: no pencil, and the submission is in the timeline.
      expect(await page.getByRole('button', { name: 'Edit Description' }).count()).toBe(0);
      await eventually(() => page.getByText('王芳 submitted it for approval', { exact: false }).count()).toBeGreaterThan(0);
      await screenshot(target, 'record-opportunity', { fullPage: true });
    });
  }, 90_000);

  it('shows a lookup the reader cannot read as "no access" (no link), and offers sharing, editing and deleting only where the server would accept them', async () => {
    // An administrator's deal on an administrator's account, shared with the manager for reading:
    // both lie outside his department, so he reads the deal through the share, not the account.
    const other = (await e2e.server.admin.call('GET', '/api/records/opportunity?limit=200')).body.data.find((d: Json) => d.id !== deal.id && d.account && d.account !== account.id);
    expect((await e2e.server.admin.call('POST', `/api/records/opportunity/${other.id}/shares`, { user_id: manager.id, access: 'read' })).status).toBe(201);
    const session = await e2e.server.signIn(manager.email, manager.password);
    expect((await session.call('GET', `/api/records/account/${other.account}`)).status).toBe(404);
    expect((await session.call('GET', `/api/records/opportunity/${other.id}/shares`)).body.can_share).toBe(false);
    await onPage(manager, `/o/opportunity/${other.id}`, 'desktop', async (page) => {
      await eventually(() => page.getByRole('heading', { name: other.title }).count()).toBe(1);
      await eventually(() => page.getByText('No access', { exact: true }).count()).toBeGreaterThan(0);
      expect(await page.locator(`a[href*="${other.account}"]`).count()).toBe(0);
      // Shared for reading: nothing that changes the record is offered (the object's permissions would allow it).
      expect((await session.call('GET', `/api/records/opportunity/editability?ids=${other.id}`)).body.data).toEqual([{ id: other.id, editable: false }]);
      const header = page.locator('.record-header__actions');
      await eventually(() => header.getByRole('button', { name: 'More actions' }).count()).toBe(1);
      expect(await header.getByRole('button', { name: 'Edit' }).count()).toBe(0);
      expect(await header.getByRole('button', { name: 'Delete' }).count()).toBe(0);
      // Who has access is shown; adding a share is not offered (the server would answer 403).
      await page.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: 'Sharing' }).click();
      const dialog = page.getByRole('dialog');
      await eventually(() => dialog.getByText('李强', { exact: true }).count()).toBe(1);
      await eventually(() => dialog.getByText('Only someone who may edit this record can share it.').count()).toBe(1);
      expect(await dialog.getByRole('button', { name: 'Share' }).count()).toBe(0);
    });
    // The owner's own deal: the share form is there.
    await onPage(rep, `/o/opportunity/${deal.id}`, 'desktop', async (page) => {
      // Editable to its owner (its approval lock, from the test above, is answered apart: approval-states).
      const owner = await e2e.server.signIn(rep.email, rep.password);
      expect((await owner.call('GET', `/api/records/opportunity/editability?ids=${deal.id}`)).body.data).toEqual([{ id: deal.id, editable: true }]);
      await page.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: 'Sharing' }).click();
      await eventually(() => page.getByRole('dialog').getByRole('button', { name: 'Share' }).count()).toBe(1);
    });
  }, 120_000);

  it('deletes a record to the recycle bin and restores it from there, on a phone', async () => {
    const victim = (await e2e.server.admin.call('GET', '/api/records/opportunity?limit=5')).body.data.find((d: Json) => d.id !== deal.id);
    await onPage(ADMIN, `/o/opportunity/${victim.id}`, 'phone', async (page) => {
      await page.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      // Failed once in CI under load, the page still on the record: what it said then goes with the failure.
      await eventually(() => page.url())
        .toMatch(/\/o\/opportunity$/)
        .catch(async (failure: Error) => {
          const said = await page.locator('.ant-message, .ant-modal').allTextContents().catch(() => []);
          throw new Error(`${failure.message}\non the page: ${JSON.stringify(said)}`);
        });
      expect((await e2e.server.admin.call('GET', `/api/records/opportunity/${victim.id}`)).status).toBe(404);
      await page.goto(`${e2e.server.base}/o/opportunity/recycle-bin`);
      await page.getByRole('button', { name: `Restore ${victim.title}` }).click();
      await eventually(async () => (await e2e.server.admin.call('GET', `/api/records/opportunity/${victim.id}`)).status).toBe(200);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    });
  }, 90_000);
});
