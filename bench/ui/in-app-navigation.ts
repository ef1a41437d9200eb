import type { Page } from '../../tests/e2e/support';

/**
 * Moving to a list from inside the product: a click on the list in the app's menu, while on Home,
 * to the frame presenting its rows, against a click on a link of a plain page to the plain table
 * page (a new document, which is how a page-per-screen site moves). This is what a user does all
 * day; the cold navigation figure (a fresh document of the list) is what they do once a session.
 *
 * Both ends are read from the browser's own clock. The rows' frame is the presentation time of
 * an element timing entry (`elementtiming` on the first row's text) for both pages: for the app it
 * is set by a MutationObserver the bench installs, which runs before the frame that paints the
 * rows, so the app carries no bench code; the plain table sets it itself.
 */

/** The plain page the baseline's click starts from: a link to the plain table page at `/`. */
export const START_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>start</title>
<style>body{font-family:sans-serif;margin:16px}</style></head><body><a id="go" href="/">Opportunities</a></body></html>`;

/** What the pages are told to wait for: the entry named `first-row`, its presentation time (ms on the page's clock). */
const ROW_PRESENTED = `new Promise((resolve, reject) => {
  const observer = new PerformanceObserver((list) => {
    const entry = list.getEntries().find((e) => e.identifier === 'first-row');
    if (entry) { observer.disconnect(); resolve(entry.renderTime); }
  });
  observer.observe({ type: 'element', buffered: true });
  setTimeout(() => reject(new Error('the first row was not presented within 30 s')), 30000);
})`;

/**
 * The app: Home is loaded fresh and left to settle (its lazy chunks, counts and badges), then the
 * menu's link to the list is clicked. The list's route chunks are not loaded yet: this is the
 * first visit of the list in the session, the slower case.
 */
export async function inAppToRows(page: Page, base: string, object: string, rows: number, settleMs: number): Promise<number> {
  await page.goto(`${base}/`);
  const link = page.locator(`a[data-object="${object}"]`);
  await link.waitFor({ timeout: 30_000 });
  await page.waitForTimeout(settleMs);
  // A string: the bench is typed for node, and the page's CSP refuses eval (DevTools is outside it).
  const elapsed = (await page.evaluate(`(() => {
    const mark = new MutationObserver(() => {
      const first = document.querySelector('.record-table__row .record-cell__title');
      if (!first || document.querySelectorAll('.record-table__row').length < ${rows}) return;
      first.setAttribute('elementtiming', 'first-row');
      mark.disconnect();
    });
    mark.observe(document.body, { childList: true, subtree: true });
    const presented = ${ROW_PRESENTED};
    const start = performance.now();
    document.querySelector('a[data-object="${object}"]').click();
    return presented.then((at) => at - start);
  })()`)) as number;
  await page.waitForTimeout(settleMs);
  return elapsed;
}

/**
 * The baseline: the start page is loaded and left to settle, its link clicked; the plain table
 * page then loads, fetches the JSON and marks its first row. The click's time crosses the
 * navigation in `window.name`, on the wall clock both documents' `timeOrigin` refer to.
 */
export async function linkToTable(page: Page, base: string, settleMs: number): Promise<number> {
  await page.goto(`${base}/start`);
  await page.waitForTimeout(settleMs);
  await Promise.all([
    page.waitForURL(`${base}/`, { waitUntil: 'commit' }),
    page.evaluate(`setTimeout(() => { window.name = String(performance.timeOrigin + performance.now()); document.getElementById('go').click(); })`),
  ]);
  const elapsed = (await page.evaluate(`${ROW_PRESENTED}.then((at) => performance.timeOrigin + at - Number(window.name))`)) as number;
  await page.waitForTimeout(settleMs);
  return elapsed;
}
