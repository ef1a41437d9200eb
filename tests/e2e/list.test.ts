import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ADMIN, describeE2e, openPage, screenshot, signInByApi, useE2eSession } from './support';

/**
 * The records list in a real browser on the demo data: rows, header sort, the filter builder,
 * inline edit with If-Match, the conflict dialog when the record changed underneath, and personal
 * saved views kept on the server.
 */
describeE2e('records list', () => {
  const e2e = useE2eSession();

  const rows = (page: Page) => page.locator('.record-table__row');
  // Rows sit in the DOM in slot order, not in screen order (row-slots.ts), and a refresh may give
  // a record another slot: a step that means one record finds its row by id, not by position.
  const rowOf = (page: Page, id: string) => page.locator(`.record-table__row[data-record-id="${id}"]`);
  const titles = (page: Page) => page.locator('.record-table__row .record-cell:nth-child(2)').allTextContents();
  const apiTitles = async (query: string) => ((await e2e.server.admin.call('GET', `/api/records/opportunity?limit=500&fields=title&${query}`)).body.data as { title: string }[]).map((r) => r.title);

  it('lists, sorts, filters and edits opportunities; a record changed underneath opens the conflict dialog', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    try {
      await signInByApi(page, e2e.server.base, ADMIN, '/o/opportunity?view=big_deals');
      await rows(page).first().waitFor({ timeout: 30_000 });
      // The view's filter (amount > 500,000) and sort (amount descending), with the total.
      const bigDeals = await apiTitles(`filter=${encodeURIComponent(JSON.stringify({ '>': [{ var: 'amount' }, 500000] }))}&sort=-amount`);
      expect(bigDeals.length).toBeGreaterThan(1);
      expect(await titles(page)).toEqual(bigDeals);
      await expect(page.locator('.record-list__count').textContent()).resolves.toBe(`${bigDeals.length} records`);
      await screenshot(target, 'list');

      // Header sort: the amount column ascending.
      await page.getByRole('button', { name: 'Amount', exact: true }).click();
      await page.waitForURL(/sort=amount/);
      await expect.poll(() => titles(page)).toEqual([...bigDeals].reverse());
      // The rows kept their elements, so the DOM holds them in the old order: Tab still follows the screen.
      const rowOfFocus = () => page.evaluate(`document.activeElement.closest('[role=row]')?.getAttribute('aria-rowindex')`);
      await page.locator('.record-table__row[aria-rowindex="2"]').locator('a[href], button, input').last().focus();
      await page.keyboard.press('Tab');
      expect(await rowOfFocus()).toBe('3');
      await page.keyboard.press('Shift+Tab');
      expect(await rowOfFocus()).toBe('2');

      // The filter builder: replace the view's filter by "stage is any of Won".
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('button', { name: 'Clear all' }).click();
      await page.getByRole('button', { name: /Condition$/ }).click();
      await page.getByRole('combobox', { name: 'Field' }).click();
      await page.keyboard.type('Stage');
      await page.keyboard.press('Enter');
      await page.getByRole('combobox', { name: 'Value' }).click();
      await page.keyboard.type('Won');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Apply' }).click();
      const won = await apiTitles(`filter=${encodeURIComponent(JSON.stringify({ in: [{ var: 'stage' }, ['won']] }))}&sort=amount`);
      expect(won.length).toBeGreaterThan(0);
      await expect.poll(() => titles(page)).toEqual(won);

      // Inline edit of the first row's title, saved with If-Match.
      const id = (await rows(page).first().getAttribute('data-record-id'))!;
      const first = rowOf(page, id);
      await first.hover();
      await first.getByRole('button', { name: 'Edit Opportunity' }).click();
      await first.locator('.record-cell__editor input').fill('Renamed in the list');
      // The Enter a Chinese input method takes to turn pinyin into characters saves nothing.
      await first.locator('.record-cell__editor input').dispatchEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, bubbles: true });
      await page.waitForTimeout(300);
      expect(await first.locator('.record-cell__editor').count()).toBe(1);
      expect((await e2e.server.admin.call('GET', `/api/records/opportunity/${id}`)).body.title).not.toBe('Renamed in the list');
      await page.keyboard.press('Enter');
      // This failed twice in about ten runs under load, the cell empty (its editor still open?):
      // the row as it was then goes with the failure, for whoever sees it next.
      await expect
        .poll(() => first.locator('.record-cell:nth-child(2)').textContent())
        .toBe('Renamed in the list')
        .catch(async (failure: Error) => {
          throw new Error(`${failure.message}\nrow ${id} now: ${await first.evaluate((row) => row.outerHTML).catch(() => 'gone')}`);
        });
      const saved = await e2e.server.admin.call('GET', `/api/records/opportunity/${id}`);
      expect(saved.body.title).toBe('Renamed in the list');
      // Saved with Enter, the editor gives focus back to the cell's edit button, not to the page.
      const focusedEdit = () => page.evaluate<string | null>(`document.activeElement?.closest('[role="row"]') ? document.activeElement.getAttribute('aria-label') : document.activeElement?.tagName`);
      await expect.poll(focusedEdit).toBe('Edit Opportunity');
      expect(await page.evaluate(`document.activeElement?.closest('[role="row"]')?.getAttribute('data-record-id')`)).toBe(id);

      // Someone else changes the record; editing the row the list still holds is a 412.
      expect((await e2e.server.admin.call('PATCH', `/api/records/opportunity/${id}`, { title: 'Changed meanwhile' }, { 'if-match': `"${saved.body.version}"` })).status).toBe(200);
      await first.hover();
      await first.getByRole('button', { name: 'Edit Opportunity' }).click();
      await first.locator('.record-cell__editor input').fill('My title');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Someone changed this record meanwhile' });
      await dialog.waitFor();
      await expect(dialog.textContent()).resolves.toContain('Changed meanwhile');
      await screenshot(target, 'list-conflict');
      // Focus waits on keeping the value just typed: Enter keeps it, Escape takes theirs.
      await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Keep mine');
      // On a slow CPU: focus used to move on the next frame, which then came before the dialog had
      // gone, and fell to the body (seen once in CI; 2 runs in 3 with this throttle).
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
      await dialog.getByRole('button', { name: 'Keep mine' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(async () => (await e2e.server.admin.call('GET', `/api/records/opportunity/${id}`)).body.title).toBe('My title');
      // And the dialog, gone with its buttons, gives it back to the same cell.
      await expect.poll(focusedEdit).toBe('Edit Opportunity');
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await expect.poll(() => first.locator('.record-cell:nth-child(2)').textContent()).toBe('My title');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 120_000);

  it('gives focus back to the Filter button when the filter closes, unless the user has already moved on', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    try {
      await signInByApi(page, e2e.server.base, ADMIN, '/o/opportunity');
      await rows(page).first().waitFor({ timeout: 30_000 });
      const focused = () => page.evaluate(`document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent`);
      const filter = page.getByRole('button', { name: 'Filter' });
      const drawer = page.getByRole('dialog', { name: 'Filter' });
      // Closed with nothing else focused: back on the button that opened it, for the keyboard.
      await filter.click();
      await drawer.waitFor();
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      await expect.poll(focused).toBe('Filter');
      // Applied, then straight into the search box while the drawer slides out: antd took focus
      // back to the Filter button once its animation ended, and the next keys went there.
      await filter.click();
      await drawer.waitFor();
      await drawer.getByRole('button', { name: 'Apply' }).click();
      const search = page.locator('input[aria-label="Search this list"]');
      await search.click();
      await page.keyboard.type('MES');
      await drawer.waitFor({ state: 'hidden' });
      await page.waitForTimeout(300);
      await page.keyboard.type(' 2');
      expect(await focused()).toBe('Search this list');
      expect(await search.inputValue()).toBe('MES 2');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 60_000);

  it('follows the title and lookup links of a row in the app; Ctrl+click opens a new tab, Enter a focused link', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    try {
      await signInByApi(page, e2e.server.base, ADMIN, '/o/opportunity?view=big_deals');
      await rows(page).first().waitFor({ timeout: 30_000 });
      const account = rows(page).first().locator('.record-cell:nth-child(3) a[href]');
      const href = (await account.getAttribute('href'))!;
      expect(href).toMatch(/^\/o\/account\/[^/]+$/);
      // A mark in the document: a link the app follows keeps it, a page load would lose it.
      await page.evaluate('window.sameDocument = true');
      const [tab] = await Promise.all([page.context().waitForEvent('page'), account.click({ modifiers: ['Control'] })]);
      await tab.waitForURL((url) => url.pathname === href);
      await tab.close();
      expect(new URL(page.url()).pathname).toBe('/o/opportunity');
      await account.click();
      await page.waitForURL((url) => url.pathname === href);
      expect(await page.evaluate('window.sameDocument === true')).toBe(true);
      await page.goBack();
      const title = rows(page).first().locator('a.record-cell__title');
      const titleHref = (await title.getAttribute('href'))!;
      await title.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === titleHref);
      expect(await page.evaluate('window.sameDocument === true')).toBe(true);
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 60_000);

  it('filters text ignoring case: "contains acme" finds "ACME Corp"', async () => {
    expect((await e2e.server.admin.call('POST', '/api/records/account', { name: 'ACME Corp' })).status).toBe(201);
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    try {
      await signInByApi(page, e2e.server.base, ADMIN, '/o/account');
      await rows(page).first().waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('button', { name: /Condition$/ }).click();
      await page.getByRole('combobox', { name: 'Field' }).click();
      await page.keyboard.type('Account name');
      await page.keyboard.press('Enter');
      await page.getByRole('textbox', { name: 'Value' }).fill('acme');
      await page.getByRole('button', { name: 'Apply' }).click();
      // Both at once: the list before the filter holds ACME Corp too (among the others).
      await expect.poll(async () => { const shown = await titles(page); return shown.includes('ACME Corp') && shown.every((name) => name.toLowerCase().includes('acme')); }).toBe(true);
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 60_000);

  it('loads the list’s screen while Home is idle, and asks for its rows from the menu link’s press, once', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    try {
      const asked: string[] = [];
      let screenLoaded = false;
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/api/records/contact') asked.push(url.search);
        if (/\/assets\/ListPage-[^/]*\.js$/.test(url.pathname)) screenLoaded = true;
      });
      await signInByApi(page, e2e.server.base, ADMIN, '/');
      const link = page.locator('a[data-object="contact"]');
      await link.waitFor({ timeout: 30_000 });
      // Nobody has pointed at a list yet: the screen comes once the page is idle.
      await expect.poll(() => screenLoaded).toBe(true);
      // Home asks for its own records of each object (recent, changed): those are not the list's.
      await page.waitForLoadState('networkidle');
      asked.length = 0;
      // The press alone starts the rows request.
      await link.hover();
      await page.mouse.down();
      await expect.poll(() => asked.length).toBe(1);
      await page.mouse.up();
      await rows(page).first().waitFor({ timeout: 30_000 });
      expect(new URL(page.url()).pathname).toBe('/o/contact');
      // Mounted, the list asked for the same rows under the same key: no second request.
      await page.waitForTimeout(500);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain('count=true');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 60_000);

  it('transfers and deletes selected records in bulk', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    try {
      const newOwner = await e2e.server.createUser({ name: 'Bulk Receiver', roles: ['sales_rep'] });
      await signInByApi(page, e2e.server.base, ADMIN, '/o/contact');
      await rows(page).first().waitFor({ timeout: 30_000 });
      const ids = await Promise.all([0, 1].map((i) => rows(page).nth(i).getAttribute('data-record-id')));
      for (const id of ids) await rowOf(page, id!).locator('.record-check').check();
      await expect(page.getByRole('toolbar', { name: 'Actions on selected records' }).textContent()).resolves.toContain('2 selected');
      await page.getByRole('button', { name: /Transfer owner$/ }).click();
      // The dialog opens on its user picker: the name is typed straight away.
      await expect.poll(() => page.evaluate(`document.activeElement?.id`)).toBe('bulk-owner');
      await page.keyboard.type('Bulk Receiver');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').getByRole('button', { name: /Transfer owner$/ }).click();
      for (const id of ids) await expect.poll(async () => (await e2e.server.admin.call('GET', `/api/records/contact/${id}`)).body.owner_id).toBe(newOwner.id);
      // The server answers before the list has reloaded; the transfer ends by clearing the
      // selection, which would take back a box ticked meanwhile.
      await page.getByRole('toolbar', { name: 'Actions on selected records' }).waitFor({ state: 'detached' });

      for (const id of ids) await rowOf(page, id!).locator('.record-check').check();
      await expect(page.getByRole('toolbar', { name: 'Actions on selected records' }).textContent()).resolves.toContain('2 selected');
      await page.getByRole('toolbar', { name: 'Actions on selected records' }).getByRole('button', { name: /Delete$/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: /Delete$/ }).click();
      for (const id of ids) await expect.poll(async () => (await e2e.server.admin.call('GET', `/api/records/contact/${id}`)).status).toBe(404);
      await expect.poll(async () => (await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-record-id')))).some((id) => ids.includes(id))).toBe(false);
      await page.locator('.ant-message', { hasText: '2 records deleted' }).waitFor({ timeout: 10_000 });
      // The Delete button went with the selection: focus is on "select all", not lost to the page's body.
      await expect.poll(() => page.evaluate(`document.activeElement?.getAttribute('aria-label')`)).toBe('Select all loaded records');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 60_000);

  it('lists a bulk failure even when its record is gone from the list: the outcome outlives the selection bar', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    try {
      const made = await Promise.all(['Bulk gone meanwhile', 'Bulk deleted here'].map(async (name) => (await e2e.server.admin.call('POST', '/api/records/account', { name })).body.id as string));
      await signInByApi(page, e2e.server.base, ADMIN, '/o/account?q=Bulk');
      for (const id of made) await rowOf(page, id).waitFor({ timeout: 30_000 });
      for (const id of made) await rowOf(page, id).locator('.record-check').check();
      // Someone else deletes one of them while it is selected here.
      expect((await e2e.server.admin.call('DELETE', `/api/records/account/${made[0]}`)).status).toBeLessThan(300);
      await page.getByRole('toolbar', { name: 'Actions on selected records' }).getByRole('button', { name: /Delete$/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: /Delete$/ }).click();
      const outcome = page.getByRole('dialog').filter({ hasText: '1 done, 1 failed' });
      await outcome.waitFor({ timeout: 10_000 });
      expect(await outcome.textContent()).toContain('Bulk gone meanwhile');
      // The failed record is no longer loaded, so nothing stays selected and the bar has gone.
      await page.getByRole('toolbar', { name: 'Actions on selected records' }).waitFor({ state: 'detached' });
      await page.keyboard.press('Escape');
      await outcome.waitFor({ state: 'detached' });
      // No row is left for "Bulk": focus goes to the search box, not to the page's body.
      await expect.poll(() => page.evaluate(`document.activeElement?.getAttribute('aria-label')`)).toBe('Search this list');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 60_000);

  it('keeps a saved view on the server: a fresh browser of the same user has it, another user does not', async () => {
    const [keeper, stranger] = await Promise.all([e2e.server.createUser({ name: 'View Keeper', roles: ['sales_rep'] }), e2e.server.createUser({ name: 'View Stranger', roles: ['sales_rep'] })]);
    const pickSavedView = async (page: Page) => {
      await page.getByRole('combobox', { name: 'View' }).click();
      return page.locator('.ant-select-item-option').filter({ hasText: 'By amount' });
    };
    const first = await openPage(e2e.browser, { language: 'en' });
    try {
      await signInByApi(first.page, e2e.server.base, keeper, '/o/opportunity?sort=-amount');
      await first.page.getByRole('button', { name: 'Save view' }).click();
      // Opened on its name, which Enter saves.
      await expect.poll(() => first.page.evaluate(`document.activeElement?.id`)).toBe('saved-view-name');
      await first.page.keyboard.type('By amount');
      await first.page.keyboard.press('Enter');
      await first.page.waitForURL(/saved=/);
      first.problems.assertNone();
    } finally {
      await first.close();
    }
    const fresh = await openPage(e2e.browser, { language: 'en' });
    try {
      await signInByApi(fresh.page, e2e.server.base, keeper, '/o/opportunity');
      await (await pickSavedView(fresh.page)).click();
      await fresh.page.waitForURL(/sort=-amount.*saved=/);
      fresh.problems.assertNone();
    } finally {
      await fresh.close();
    }
    const other = await openPage(e2e.browser, { language: 'en' });
    try {
      await signInByApi(other.page, e2e.server.base, stranger, '/o/opportunity');
      const option = await pickSavedView(other.page);
      await other.page.locator('.ant-select-item-option').first().waitFor();
      expect(await option.count()).toBe(0);
      other.problems.assertNone();
    } finally {
      await other.close();
    }
  }, 60_000);

  it('shows, hides and reorders columns from the Columns picker (keyboard and pointer): the shown first, then the object’s fields, then the system’s', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    try {
      await signInByApi(page, e2e.server.base, ADMIN, '/o/opportunity');
      await rows(page).first().waitFor({ timeout: 30_000 });
      const headers = () => page.locator('.record-table__head [role="columnheader"]').allTextContents();
      const before = (await headers()).filter(Boolean);
      expect(before).toContain('Account');
      expect(before).not.toContain('Probability');
      await page.getByRole('button', { name: 'Columns' }).click();
      const picker = page.locator('.list-columns');
      await picker.waitFor();
      const choices = await picker.locator('label').allTextContents();
      // The columns shown, in their order, come first; the system's fields (ID, Version...) last.
      expect(choices.slice(0, before.length)).toEqual(before);
      const firstSystem = choices.indexOf('ID');
      expect(firstSystem).toBeGreaterThan(choices.indexOf('Probability'));
      expect(choices.indexOf('Version')).toBeGreaterThan(firstSystem);
      // One column, none beside another (antd wraps a group into two).
      const lefts = await picker.locator('label').evaluateAll((labels) => new Set(labels.map((label) => Math.round(label.getBoundingClientRect().left))).size);
      expect(lefts).toBe(1);
      // Clicks, not check(): the box follows the address, which the list updates in a transition.
      await picker.getByLabel('Probability', { exact: true }).click();
      await expect.poll(headers).toContain('Probability');
      await picker.getByLabel('Account', { exact: true }).click();
      await expect.poll(headers).not.toContain('Account');
      // Reordered with the keyboard: the third column's handle, Space, up, Space puts it second.
      const shown = async () => (await headers()).filter(Boolean);
      const order = await shown();
      const handle = picker.getByRole('button', { name: `Move ${order[2]}` });
      await handle.focus();
      await page.keyboard.press('Space');
      // The drag starts, then listens for arrows (a moment later: keys pressed before it are lost).
      await expect.poll(() => handle.getAttribute('aria-pressed')).toBe('true');
      await page.waitForTimeout(100);
      await page.keyboard.press('ArrowUp');
      // Dropped once it is over the column above, as the spoken announcement says.
      const announced = () => page.locator('[id^="DndLiveRegion"]').allTextContents();
      await expect.poll(announced).toContainEqual(expect.stringContaining(`${order[2]} moved to position 2 of`));
      await page.keyboard.press('Space');
      const moved = [order[0]!, order[2]!, order[1]!, ...order.slice(3)];
      await expect.poll(shown).toEqual(moved);
      // And with the pointer: the first column's handle dragged below the second.
      const first = picker.getByRole('button', { name: `Move ${moved[0]}` });
      const second = picker.getByRole('button', { name: `Move ${moved[1]}` });
      const from = (await first.boundingBox())!;
      const to = (await second.boundingBox())!;
      const x = from.x + from.width / 2;
      await page.mouse.move(x, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(x, from.y + from.height / 2 + 8);
      await expect.poll(() => first.getAttribute('aria-pressed')).toBe('true');
      for (let step = 1; step <= 8; step += 1) await page.mouse.move(x, from.y + from.height / 2 + ((to.y - from.y + 10) * step) / 8);
      // Dropped once it is over the second column.
      await expect.poll(announced).toContainEqual(expect.stringContaining(`${moved[0]} moved to position 2 of`));
      await page.mouse.up();
      await expect.poll(shown).toEqual([moved[1], moved[0], ...moved.slice(2)]);
      // Kept in the address, so a reload (or a saved view) has them.
      expect(page.url()).toMatch(/cols=/);
      await page.reload();
      await rows(page).first().waitFor({ timeout: 30_000 });
      expect(await shown()).toEqual([moved[1], moved[0], ...moved.slice(2)]);
      expect(await headers()).not.toContain('Account');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 60_000);

  it('shows records as cards on a phone, in Chinese, without horizontal scroll', async () => {
    const target = await openPage(e2e.browser, { language: 'zh-CN', size: 'phone' });
    try {
      await signInByApi(target.page, e2e.server.base, ADMIN, '/o/account');
      await target.page.locator('.record-card').first().waitFor();
      expect(await target.page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
      const box = await target.page.locator('.record-card__body').first().boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      await screenshot(target, 'list');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  });
});
