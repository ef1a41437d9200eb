import { expect, it } from 'vitest';
import { ADMIN, describeE2e, openPage, screenshot, signInThroughForm, useE2eSession } from './support';

/** Sign-in through the form in both languages; the shell comes up with the demo's objects. */
describeE2e('sign-in', () => {
  const e2e = useE2eSession();

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
});
