import { expect, it } from 'vitest';
import { ADMIN, describeE2e, openPage, screenshot, signInByApi, useE2eSession } from './support';

/** Ctrl+K, initials of a Chinese name, Enter: the palette finds 华信 by "hx" and opens its record page. */
describeE2e('global search', () => {
  const e2e = useE2eSession();

  it.each([
    ['zh-CN', 'desktop'],
    ['en', 'phone'],
  ] as const)('finds the 华信 account by its initials and opens it with the keyboard (%s, %s)', async (language, size) => {
    const target = await openPage(e2e.browser, { language, size });
    try {
      const { page } = target;
      await signInByApi(page, e2e.server.base, ADMIN);
      await page.locator('.shell__header').waitFor();
      await page.keyboard.press('Control+k');
      const box = page.getByRole('combobox', { name: language === 'zh-CN' ? '搜索记录' : 'Search records' });
      await box.waitFor();
      await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("role")')).toBe('combobox');
      await page.keyboard.type('hx');
      const hit = page.getByRole('option', { name: /华信精密制造有限公司/ });
      await hit.waitFor();
      await expect(page.locator('.global-search__group').first().textContent()).resolves.toBe(language === 'zh-CN' ? '客户' : 'Accounts');
      expect(await hit.getAttribute('aria-selected')).toBe('true');
      await screenshot(target, 'global-search');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/o\/account\/[0-9a-f-]{36}$/);
      await box.waitFor({ state: 'detached' });
      const id = new URL(page.url()).pathname.split('/').pop()!;
      const record = await e2e.server.admin.call('GET', `/api/records/account/${id}`);
      expect((record.body as { name: string }).name).toBe('华信精密制造有限公司');
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  });
});
