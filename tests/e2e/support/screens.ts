import type { Page } from 'playwright-core';

/**
 * Waits until a client route has settled: the shell (or sign-in page) is up, the route's chunk
 * and its API calls are done, and no loading indicator is left.
 */
export async function settle(page: Page): Promise<void> {
  await page.locator('.shell__header, #sign-in-email').first().waitFor({ timeout: 20_000 });
  await page.waitForLoadState('networkidle');
  // A screen still loading after this long is a finding, not something to photograph.
  await page.locator('.page-loading, .ant-spin-fullscreen, .ant-skeleton').first().waitFor({ state: 'detached', timeout: 20_000 });
}

/** Opens a client route of the signed-in app and waits for it to settle. */
export async function openScreen(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await settle(page);
}

