import type { Page } from 'playwright-core';

/**
 * Makes `window.__checkInput(object, input, old?)` in a signed-in app page: the form's own check
 * (`window.crmForms.browserIssues`, exposed while a form is open: core's checkRecordInput on the
 * app's compiled metadata and the revision's generated rules module), so the differential test
 * compares what a form really runs with the API. It answers what the API would: 'ok', or
 * `{ status, en, zh }` with the error body in both languages. Leaves the page on the object's new-record form.
 */
export async function installInputCheck(page: Page, objectName: string): Promise<void> {
  await page.goto(new URL(`/o/${encodeURIComponent(objectName)}/new`, page.url()).toString());
  // Polled with evaluate: waitForFunction evaluates strings inside the page, which its CSP forbids.
  const deadline = Date.now() + 30_000;
  while (!(await page.evaluate('Boolean(window.crmForms)'))) {
    if (Date.now() > deadline) throw new Error(`the ${objectName} form did not open within 30 s`);
    await page.waitForTimeout(100);
  }
  await page.evaluate(`(() => {
    window.__checkInput = (name, input, old) => {
      const result = window.crmForms.browserIssues(name, input, old);
      return result.ok ? 'ok' : { status: result.status, en: result.en, zh: result.zh };
    };
  })()`);
}
