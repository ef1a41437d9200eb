import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { ADMIN, describeE2e, openPage, openScreen, screenshot, signInByApi, useE2eSession, type E2ePage, type Language, type Size } from './support';

/**
 * Every screen of the runtime UI at 1440x900 and 375x812 in zh-CN and English: a screenshot of each
 * (tests/e2e/screenshots/<screen>-<language>-<size>.png, to look at), no page error, nothing wider
 * than a phone at 375 px, and axe finding no serious or critical accessibility violation.
 */
const COMBINATIONS: readonly { language: Language; size: Size }[] = [
  { language: 'zh-CN', size: 'desktop' },
  { language: 'en', size: 'desktop' },
  { language: 'zh-CN', size: 'phone' },
  { language: 'en', size: 'phone' },
];

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
}

describeE2e('screens', () => {
  const e2e = useE2eSession();
  let opportunityId: string;
  beforeAll(async () => {
    const list = await e2e.server.admin.call('GET', '/api/records/opportunity?limit=2');
    opportunityId = list.body.data[0].id;
    // The recycle bin shows something: another one, deleted.
    expect((await e2e.server.admin.call('DELETE', `/api/records/opportunity/${list.body.data[1].id}`)).status).toBe(200);
  });
  // One signed-in page per language and size, walked from screen to screen.
  const pages = new Map<string, E2ePage>();
  async function pageFor(combination: { language: Language; size: Size }): Promise<E2ePage> {
    const key = `${combination.language} ${combination.size}`;
    let target = pages.get(key);
    if (!target) {
      target = await openPage(e2e.browser, combination);
      await signInByApi(target.page, e2e.server.base, ADMIN, '/');
      pages.set(key, target);
    }
    return target;
  }

  const screens: readonly { name: string; path: () => string }[] = [
    { name: 'home', path: () => '/' },
    { name: 'list', path: () => '/o/opportunity' },
    { name: 'board', path: () => '/o/opportunity/board/funnel' },
    { name: 'record', path: () => `/o/opportunity/${opportunityId}` },
    { name: 'form-new', path: () => '/o/opportunity/new' },
    { name: 'form-edit', path: () => `/o/opportunity/${opportunityId}/edit` },
    { name: 'inbox', path: () => '/approvals' },
    { name: 'notifications', path: () => '/notifications' },
    { name: 'recycle-bin', path: () => '/o/opportunity/recycle-bin' },
    { name: 'account', path: () => '/account' },
  ];

  it('sign-in: screenshots, fits a phone, no serious accessibility violation', async () => {
    for (const combination of COMBINATIONS) {
      const target = await openPage(e2e.browser, combination);
      try {
        await openScreen(target.page, e2e.server.base, '/');
        await screenshot(target, 'sign-in');
        expect(await horizontalOverflow(target.page), `sign-in ${combination.language} ${combination.size}`).toBe(0);
        if (combination.size === 'desktop' && combination.language === 'zh-CN') expect(await seriousViolations(target.page)).toEqual([]);
        target.problems.assertNone();
      } finally {
        await target.close();
      }
    }
  });

  it.each(screens)('$name: screenshots, fits a phone, no serious accessibility violation', async (screen) => {
    for (const combination of COMBINATIONS) {
      const target = await pageFor(combination);
      await openScreen(target.page, e2e.server.base, screen.path());
      if (screen.name === 'account') {
        // The administrator's role is labelled like the administrator badge: each is shown once.
        const roles = await target.page.locator('.account-role').allTextContents();
        expect(roles.length, 'roles shown').toBeGreaterThan(0);
        expect(new Set(roles).size, roles.join(', ')).toBe(roles.length);
      }
      await screenshot(target, screen.name);
      expect(await horizontalOverflow(target.page), `${screen.name} ${combination.language} ${combination.size}`).toBe(0);
      // axe once per screen: in Chinese at desktop size (the language and layout most users have).
      if (combination.size === 'desktop' && combination.language === 'zh-CN') expect(await seriousViolations(target.page), screen.name).toEqual([]);
      target.problems.assertNone();
    }
    // Four pages (two languages, two sizes), and the first screen also signs each in: on a loaded
    // two-core machine that exceeded the default 30 s.
  }, 90_000);

  // Dialogs and drawers a user works in, opened as a user opens them: the list's filter builder
  // (with a condition) and the record page's sharing and owner transfer.
  it('dialogs: screenshots, fit a phone, no serious accessibility violation', async () => {
    for (const combination of COMBINATIONS) {
      const target = await pageFor(combination);
      const { page } = target;
      const zh = combination.language === 'zh-CN';
      const shoot = async (name: string, dialog: ReturnType<Page['getByRole']>) => {
        await dialog.waitFor();
        // antd animates a dialog in: photograph it where it settles.
        await page.waitForTimeout(400);
        await screenshot(target, name);
        expect(await horizontalOverflow(page), `${name} ${combination.language} ${combination.size}`).toBe(0);
        if (combination.size === 'desktop' && zh) expect(await seriousViolations(page), name).toEqual([]);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
      };

      // Two rows selected: the bulk bar. On a phone it is two rows (the count with "Clear", then
      // the actions side by side), not four.
      await openScreen(page, e2e.server.base, '/o/opportunity');
      const checks = page.locator('.record-check');
      await checks.nth(0).check();
      await checks.nth(1).check();
      const bar = page.getByRole('toolbar', { name: zh ? '对所选记录的操作' : 'Actions on selected records' });
      await bar.waitFor();
      await screenshot(target, 'list-selection');
      expect(await horizontalOverflow(page), `list-selection ${combination.language} ${combination.size}`).toBe(0);
      if (combination.size === 'desktop' && zh) expect(await seriousViolations(page), 'list-selection').toEqual([]);
      if (combination.size === 'phone') {
        expect((await bar.boundingBox())!.height).toBeLessThan(130);
        const tops = await bar.locator('.bulk-bar__actions .ant-btn').evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
        expect(new Set(tops).size, `bulk actions in one row: ${tops.join(', ')}`).toBe(1);
      }
      await bar.getByRole('button', { name: zh ? '取消选择' : 'Clear selection' }).click();
      await bar.waitFor({ state: 'hidden' });

      await page.locator('.list-toolbar').getByRole('button', { name: zh ? '筛选' : 'Filter' }).click();
      const filter = page.getByRole('dialog');
      // Not 删除条件 (a condition's delete button).
      await filter.getByRole('button', { name: zh ? /(^|\s)条件$/ : /(^|\s)Condition$/ }).click();
      await shoot('list-filter', filter);

      // Import: the file picker, then a file's columns matched to fields.
      if (combination.size === 'phone') {
        await page.getByRole('button', { name: zh ? '更多操作' : 'More actions' }).click();
        await page.getByRole('menuitem', { name: zh ? '导入' : 'Import' }).click();
      } else {
        await page.locator('.list-toolbar').getByRole('button', { name: zh ? '导入' : 'Import', exact: true }).click();
      }
      const importing = page.getByRole('dialog');
      await importing.locator('.import-drop').waitFor();
      await page.waitForTimeout(400);
      await screenshot(target, 'list-import');
      expect(await horizontalOverflow(page), `list-import ${combination.language} ${combination.size}`).toBe(0);
      if (combination.size === 'desktop' && zh) expect(await seriousViolations(page), 'list-import').toEqual([]);
      // The second stage is no option: the columns step asks what it means.
      const deals = zh ? '商机名称,客户,金额,阶段,备注\n展会大单,华信精密制造有限公司,120000,方案报价,来自展会\n续约,金融通支付,80000,谈判中,\n' : 'Opportunity,Account,Amount,Stage,Remarks\nFair deal,Blue Peak Retail,120000,Proposal,met at the fair\nRenewal,Lattice Software,80000,In talks,\n';
      await page.locator('#import-file').setInputFiles({ name: zh ? '商机.csv' : 'deals.csv', mimeType: 'text/csv', buffer: Buffer.from(deals) });
      await importing.locator('.import-values').waitFor();
      await shoot('list-import-columns', importing.filter({ has: page.locator('.import-columns') }));

      for (const [name, item] of [
        ['record-shares', zh ? '共享' : 'Sharing'],
        ['record-transfer', zh ? '转移负责人' : 'Transfer owner'],
      ] as const) {
        await openScreen(page, e2e.server.base, `/o/opportunity/${opportunityId}`);
        await page.getByRole('button', { name: zh ? '更多操作' : 'More actions' }).click();
        await page.getByRole('menuitem', { name: item }).click();
        // The transfer opens on its user picker, to type a name at once.
        if (name === 'record-transfer') await expect.poll(() => page.evaluate(`document.activeElement?.id`)).toBe('transfer-owner');
        await shoot(name, page.getByRole('dialog'));
      }
      target.problems.assertNone();
    }
  }, 120_000);
});

/** How many CSS pixels the document is wider than the viewport (a phone must not scroll sideways). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate('Math.max(0, document.documentElement.scrollWidth - window.innerWidth)') as Promise<number>;
}
