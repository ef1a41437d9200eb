import type { Page } from 'playwright-core';

/**
 * Waits until a client route has settled: the shell (or sign-in page) is up, the route's chunk
 * and its API calls are done, and no loading indicator is left.
 */
export async function settle(page: Page): Promise<void> {
  await page.locator('.shell__header, #sign-in-email').first().waitFor({ timeout: 20_000 });
  await page.waitForLoadState('networkidle');
  await page.locator('.page-loading, .ant-spin-fullscreen, .ant-skeleton-active').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}

/** Opens a client route of the signed-in app and waits for it to settle. */
export async function openScreen(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await settle(page);
}

/**
 * Moves the already loaded app to another client route without reloading it (as a click on a link
 * does): react-router follows popstate. Much faster than page.goto for a walk over many screens.
 */
export async function navigateInApp(page: Page, path: string): Promise<void> {
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'));`);
  await settle(page);
}
