import type { Page } from 'playwright-core';

/** The sign-in page's form, as a person fills it; resolves once the shell is up. */
export async function signInThroughForm(page: Page, base: string, credentials: { email: string; password: string }): Promise<void> {
  if (!page.url().startsWith(base)) await page.goto(`${base}/`);
  await page.locator('#sign-in-email').fill(credentials.email);
  await page.locator('#sign-in-password').fill(credentials.password);
  await page.locator('button[type=submit]').click();
  await waitForShell(page);
}

/**
 * Signs in with the API from inside the page (the cookies land in the browser context, as after a
 * form sign-in), then opens `path`. Faster than the form for tests about other screens.
 */
export async function signInByApi(page: Page, base: string, credentials: { email: string; password: string }, path = '/'): Promise<void> {
  await page.goto(`${base}/`);
  const status = await page.evaluate(async (body) => {
    const response = await fetch('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return response.status;
  }, credentials);
  if (status !== 200) throw new Error(`sign-in of ${credentials.email} answered ${status}`);
  await page.goto(`${base}${path}`);
  await waitForShell(page);
}

/** The shell (navigation built from the metadata) is rendered. */
export async function waitForShell(page: Page): Promise<void> {
  await page.locator('.shell__header').waitFor({ timeout: 20_000 });
}
