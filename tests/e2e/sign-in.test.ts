import { beforeAll, expect, it } from 'vitest';
import { ADMIN, describeE2e, openPage, screenshot, signInByApi, signInThroughForm, useE2eSession, type E2eUser } from './support';

/** Sign-in through the form in both languages; the shell comes up with the demo's objects. */
describeE2e('sign-in', () => {
  const e2e = useE2eSession();
  // Made before any test signs the administrator out (the API session is the one shared with the browser's).
  let accountUser: Promise<E2eUser>;
  beforeAll(() => {
    accountUser = e2e.server.createDepartment('East sales').then((department_id) => e2e.server.createUser({ name: 'Account Amy', roles: ['sales_rep'], department_id }));
    return accountUser.then(() => undefined);
  });

  it.each(['zh-CN', 'en'] as const)('signs in through the form in %s and sees the navigation', async (language) => {
    const target = await openPage(e2e.browser, { language });
    try {
      await target.page.goto(`${e2e.server.base}/`);
      await target.page.locator('#sign-in-email').waitFor();
      await screenshot(target, 'sign-in');
      await signInThroughForm(target.page, e2e.server.base, ADMIN);
      const opportunities = target.page.locator('a[data-object="opportunity"]');
      await expect(opportunities.textContent()).resolves.toBe(language === 'zh-CN' ? '商机' : 'Opportunities');
      expect(await target.page.evaluate('document.documentElement.lang')).toBe(language);
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  });

  // The boot asks for the metadata before it knows who is signed in when a session cookie is
  // there; a stale one must still end on the sign-in page, and signing in must bring the page up.
  it('opens a list with a stale session cookie on the sign-in page, and shows the list once signed in', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    try {
      const stale = [
        { name: 'crm_session', value: 'stale-session-token', httpOnly: true },
        { name: 'crm_csrf', value: 'stale-csrf-token', httpOnly: false },
      ];
      await target.page.context().addCookies(stale.map((cookie) => ({ ...cookie, url: e2e.server.base, secure: true, sameSite: 'Lax' as const })));
      await target.page.goto(`${e2e.server.base}/o/opportunity`);
      await target.page.locator('#sign-in-email').waitFor();
      expect(await target.page.locator('.shell__header').count()).toBe(0);
      await signInThroughForm(target.page, e2e.server.base, ADMIN);
      await target.page.locator('.record-table__row').first().waitFor();
      expect(new URL(target.page.url()).pathname).toBe('/o/opportunity');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  });

  // A list page remembers its first rows request (runtime-ui/src/app/first-rows.ts): the next
  // visit starts it beside the metadata's (public/early-fetch.js), and the list takes that answer
  // only when it builds the very same request from the metadata; sign-out forgets them all.
  it('reopens a list with its remembered rows request, never answers from a guess it did not build, and forgets it on sign-out', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    try {
      const asked: string[] = [];
      target.page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/api/records/opportunity') asked.push(url.pathname + url.search);
      });
      const rows = target.page.locator('.record-table__row');
      const remembered = () => target.page.evaluate(`JSON.parse(localStorage.getItem('crm.firstRows') || 'null')`) as Promise<Record<string, string> | null>;
      await signInByApi(target.page, e2e.server.base, ADMIN, '/o/opportunity');
      await rows.first().waitFor();
      const path = (await remembered())?.['/o/opportunity'];
      expect(asked).toEqual([path]);

      asked.length = 0;
      await target.page.reload();
      await rows.first().waitFor();
      expect(asked).toEqual([path]);
      // Started with the metadata's request, not after its answer.
      const started = (await target.page.evaluate(`(() => {
        const entry = (path) => performance.getEntriesByType('resource').find((e) => e.name === location.origin + path);
        return [entry(${JSON.stringify(path)}).startTime, entry('/api/meta/client').responseEnd];
      })()`)) as [number, number];
      expect(started[0]).toBeLessThan(started[1]);
      const shown = await rows.count();
      expect(shown).toBeGreaterThan(1);

      // A guess the list does not build is asked (early-fetch cannot know) but never shown.
      await target.page.evaluate(`localStorage.setItem('crm.firstRows', JSON.stringify({ '/o/opportunity': '/api/records/opportunity?limit=1' }))`);
      asked.length = 0;
      await target.page.reload();
      await rows.first().waitFor();
      // A function, not a string: a string predicate is eval'd in the page, which its CSP refuses.
      await target.page.waitForFunction(
        (count) => (globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } }).document.querySelectorAll('.record-table__row').length >= count,
        shown,
      );
      expect(asked.sort()).toEqual([path, '/api/records/opportunity?limit=1'].sort());
      expect((await remembered())?.['/o/opportunity']).toBe(path);

      await target.page.locator('.shell__header').getByRole('button', { name: /· Account$/ }).click();
      await target.page.getByText('Sign out', { exact: true }).click();
      await target.page.locator('#sign-in-email').waitFor();
      expect(await remembered()).toBeNull();
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  });

  it('refuses a wrong password with the message on the form and stays on the sign-in page', async () => {
    const target = await openPage(e2e.browser, { language: 'en' });
    try {
      await target.page.goto(`${e2e.server.base}/`);
      await target.page.locator('#sign-in-email').fill(ADMIN.email);
      await target.page.locator('#sign-in-password').fill('wrong-password-123');
      await target.page.locator('button[type=submit]').click();
      await expect(target.page.locator('[role="alert"]').textContent()).resolves.toBeTruthy();
      expect(await target.page.locator('.shell__header').count()).toBe(0);
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  });

  // Everything of "My account" in one walk: the token is made, shown once, works and is revoked;
  // the password form refuses as it should (required, mismatch, wrong current password on its
  // field), then changes it, which ends the session: the sign-in page says why.
  it('My account: an API token is created, works, and is revoked; the password is changed with refusals on their fields, then signed in with', async () => {
    const user = await accountUser;
    const target = await openPage(e2e.browser, { language: 'en' });
    const { page } = target;
    const base = e2e.server.base;
    try {
      // Through the form, not the shared session: the password change ends this one.
      await signInThroughForm(page, base, user);
      await page.locator('.shell__header').getByRole('button', { name: /· Account$/ }).click();
      await page.getByRole('menuitem', { name: 'My account' }).click();
      await page.getByRole('heading', { name: 'My account' }).waitFor();
      expect(await page.locator('.account-profile').textContent()).toContain(user.email);
      // Who an administrator made her: her department and her roles, by their labels.
      expect(await page.locator('.account-profile').innerText()).toMatch(/Department\s+East sales\s+Roles\s+Sales rep/);
      // Renamed in place: Enter saves, and the header greets the new name.
      await page.getByRole('button', { name: 'Change your name' }).click();
      const nameInput = page.getByRole('textbox', { name: 'Name' });
      await nameInput.fill('Amy Zhang');
      await nameInput.dispatchEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, bubbles: true });
      await page.waitForTimeout(300);
      expect(await nameInput.count()).toBe(1);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.shell__user-name').textContent()).toBe('Amy Zhang');
      // Focus goes back to the button that opened the editor, not to the page.
      await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Change your name');
      // Stored: a reload reads it back.
      await page.reload();
      await expect.poll(() => page.locator('.shell__user-name').textContent()).toBe('Amy Zhang');

      await page.getByRole('button', { name: 'New token' }).click();
      await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('token-name');
      await page.keyboard.type('ERP sync');
      await page.keyboard.press('Enter');
      const secret = (await page.locator('#created-token').textContent())!;
      await page.waitForTimeout(400);
      await screenshot(target, 'account-token-created');
      expect(secret.length).toBeGreaterThan(20);
      const asToken = () => fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
      const me = await asToken();
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user: { id: string } }).user.id).toBe(user.id);
      await page.getByRole('button', { name: 'Done' }).click();
      const listed = page.locator('.account-token');
      await expect.poll(() => listed.count()).toBe(1);
      expect(await listed.textContent()).toContain('ERP sync');
      expect(await listed.textContent()).not.toContain(secret);
      await screenshot(target, 'account-token-listed');
      await page.getByRole('button', { name: 'Revoke ERP sync' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await expect.poll(() => listed.count()).toBe(0);
      expect((await asToken()).status).toBe(401);

      const change = page.getByRole('button', { name: 'Change password' });
      const errorOf = (name: string) => page.locator(`#password-${name}-error`);
      await change.click();
      await expect.poll(() => page.locator('.account-form__error').allTextContents()).toEqual(['Required', 'Required', 'Required']);
      await page.getByLabel('Current password').fill('not-my-password');
      await page.getByLabel('New password', { exact: true }).fill('a new password 1');
      await page.getByLabel('New password again').fill('a new password 2');
      await change.click();
      await expect.poll(() => errorOf('repeat').textContent()).toBe('The two new passwords differ');
      await page.getByLabel('New password again').fill('a new password 1');
      await change.click();
      // The server's refusal, on its field, in the user's language; nothing changed.
      await expect.poll(() => errorOf('current').textContent()).toMatch(/current password/i);
      expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
      expect((await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: user.password }) })).status).toBe(200);

      await page.getByLabel('Current password').fill(user.password);
      await change.click();
      await page.locator('#sign-in-email').waitFor();
      await expect.poll(() => page.getByRole('alert').allTextContents()).toContain('Your password was changed. Sign in with the new one.');
      expect((await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: user.password }) })).status).toBe(401);
      await signInThroughForm(page, base, { email: user.email, password: 'a new password 1' });
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  }, 90_000);
});
