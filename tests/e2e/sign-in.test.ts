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
