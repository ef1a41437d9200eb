import { sessionCookies } from './e2e-server';
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
 * Puts the user's session cookies (one sign-in per user and test file, see sessionCookies) into the
 * page's browser context, then opens `path`: as after a form sign-in, without the form.
 */
export async function signInByApi(page: Page, base: string, credentials: { email: string; password: string }, path = '/'): Promise<void> {
  const { cookies } = await sessionCookies(base, credentials.email, credentials.password);
  await page.context().addCookies(cookies.map(({ name, value }) => ({ name, value, url: base, secure: true, sameSite: 'Lax' as const, httpOnly: name === 'crm_session' })));
  await page.goto(`${base}${path}`);
  await waitForShell(page);
}

/** The shell (navigation built from the metadata) is rendered. */
export async function waitForShell(page: Page): Promise<void> {
  await page.locator('.shell__header').waitFor({ timeout: 20_000 });
}
