/**
 * `pnpm bench ui`: the runtime UI in Debian's chromium against the real server (a separate process
 * on a fresh PGlite with the sales demo, as tests/e2e start it), each figure beside a baseline
 * measured in the same run:
 * - navigation to 50 painted rows of the opportunity list vs a plain HTML table page (served by
 *   this bench) that fetches the same JSON and renders it;
 * - a rep's list page time vs an administrator's on the same records;
 * - moving to the list from Home inside the app vs a link click to the plain table page
 *   (bench/ui/in-app-navigation.ts);
 * - the initial JavaScript of `/` (gzip) vs the 300 KB budget;
 * - scrolling 10,000 loaded rows, the 200-field form with 50 rules, the 12 x 2,000 kanban drag
 *   (bench/ui/: scroll.ts, form.ts, kanban.ts, each with its baselines).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN, launchBrowser, startE2eServer, signInByApi, type Browser, type E2eServer, type Page } from '../tests/e2e/support';
import { initialJavaScript } from '../tests/ui/initial-javascript';
import { RUNTIME_UI_DIST } from '../tests/e2e/support/ui-build';
import { figure, figureOfRounds, report, type Figure } from './lib/results';
import { formFigures } from './ui/form';
import { kanbanFigures } from './ui/kanban';
import { scrollFigures } from './ui/scroll';
import { inAppToRows, linkToTable, START_HTML } from './ui/in-app-navigation';
import { secondBuild } from './ui/second-build';
import { snapshotPages } from './ui/snapshot-floor';
import { uiBench } from './ui/support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROWS = 50;
const RECORDS = 120;
const VIEWPORT = { width: 1440, height: 3200 };

/**
 * A page with nothing but a fetch of the JSON and a <table> of its rows: the baseline. The whole
 * table comes with the rows, so its first contentful paint is the rows' frame, as the app's is.
 */
const BASELINE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title>
<style>body{font-family:sans-serif;margin:16px}td,th{padding:10px 12px;border-bottom:1px solid #eee;text-align:left}</style></head>
<body><script src="/baseline.js"></script></body></html>`;
const BASELINE_JS = `fetch('/data.json').then((r) => r.json()).then(({ data }) => {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const label of ['Title', 'Stage', 'Amount', 'Close date']) { const th = document.createElement('th'); th.textContent = label; head.appendChild(th); }
  const body = table.createTBody();
  for (const row of data) {
    const tr = document.createElement('tr');
    tr.className = 'baseline-row';
    for (const value of [row.title, row.stage, row.amount, row.close_date]) { const td = document.createElement('td'); td.textContent = value ?? ''; tr.appendChild(td); }
    if (body.rows.length === 0) tr.firstChild.setAttribute('elementtiming', 'first-row');
    body.appendChild(tr);
  }
  document.body.appendChild(table);
});`;

async function baselineServer(json: string): Promise<{ base: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const [type, body] =
      request.url === '/data.json'
        ? ['application/json', json]
        : request.url === '/baseline.js'
          ? ['text/javascript', BASELINE_JS]
          : ['text/html; charset=utf-8', request.url === '/start' ? START_HTML : BASELINE_HTML];
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    response.end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** The pause after each navigation before the next side's (see timeToRows). */
const SETTLE_MS = 1500;

/**
 * Milliseconds from the navigation's start until `count` elements matching `selector` are on
 * screen: the later of the first contentful paint (its frame presented) and the moment they were
 * in the page. Both pages render their rows with their first text (the app renders once, shell
 * and rows; the plain page builds its whole table), so that paint is the rows'. Counting rows in
 * the page alone missed the frame: with software raster of a 3,200 px page the app's rows reached
 * the screen ~300 ms after they were in the DOM.
 */
async function timeToRows(page: Page, url: string, selector: string, count: number): Promise<number> {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  // A function, not a string: a string predicate is eval'd in the page, which its CSP refuses.
  const inPage = await page.waitForFunction(
    ([css, least]) => {
      const page = globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } }; performance: { now(): number } };
      return page.document.querySelectorAll(css).length >= least && page.performance.now();
    },
    [selector, count] as const,
    { timeout: 30_000, polling: 'raf' },
  );
  const rowsAt = (await inPage.jsonValue()) as number;
  // Read through DevTools (a string: the app's CSP refuses eval, not the protocol).
  const painted = (await page.evaluate(`new Promise((resolve) => new PerformanceObserver((list, observer) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0];
    if (entry) { observer.disconnect(); resolve(entry.startTime); }
  }).observe({ type: 'paint', buffered: true }))`)) as number;
  // The app goes on after its rows (saved views, then the notification and approval counts about
  // a second later): left running, that work fell on the next side's navigation and slowed the
  // plain table most (its median was 190 ms so, 107 ms without).
  await page.waitForTimeout(SETTLE_MS);
  return Math.max(rowsAt, painted);
}

async function seed(server: E2eServer, session: Awaited<ReturnType<E2eServer['signIn']>>): Promise<void> {
  const account = await session.call('POST', '/api/records/account', { name: 'Bench account' });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${JSON.stringify(account.body)}`);
  for (let index = 0; index < RECORDS; index += 1) {
    const created = await session.call('POST', '/api/records/opportunity', { title: `Bench deal ${String(index).padStart(4, '0')}`, account: account.body.id, amount: String(1000 + index), close_date: '2026-12-01' });
    if (created.status !== 201) throw new Error(`opportunity: ${created.status} ${JSON.stringify(created.body)}`);
  }
  void server;
}

/** Which figure groups to run: `BENCH_UI_ONLY=navigation,scroll` (all when unset; `floors`, with `navigation` only, is never run unless named). */
const ONLY = new Set((process.env.BENCH_UI_ONLY ?? 'navigation,scroll,form,kanban').split(',').map((name) => name.trim()));

/** The rows painted and the fetches behind them, for a look at what the first row waited for (`BENCH_UI_TRACE=1`). */
async function printTimeline(page: Page, label: string): Promise<void> {
  // A string: the bench is typed for node, the expression runs in the page (through DevTools, outside its CSP).
  const lines = (await page.evaluate(`(() => {
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => [e.startTime, e.startTime.toFixed(0) + '..' + e.responseEnd.toFixed(0) + ' ' + e.name.replace(location.origin, '')]);
    const marks = [...performance.getEntriesByType('mark'), ...performance.getEntriesByType('paint')].map((m) => [m.startTime, m.startTime.toFixed(0) + ' mark ' + m.name]);
    return [...entries, ...marks].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
  })()`)) as string[];
  console.log(`-- ${label}\n${lines.join('\n')}`);
}

export async function run(): Promise<void> {
  const [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
  try {
    const figures: Figure[] = [];
    if (ONLY.has('navigation')) figures.push(...(await navigationFigures(server, browser)));
    const bench = uiBench(server, browser, ROUNDS);
    const groups = { scroll: scrollFigures, form: formFigures, kanban: kanbanFigures };
    for (const [name, measure] of Object.entries(groups)) if (ONLY.has(name)) figures.push(...(await measure(bench)));
    report('ui', figures);
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * Navigation to the list (a rep's and the administrator's) vs the plain table, and the initial
 * JavaScript. With `BENCH_UI_A` and `BENCH_UI_B` (two dist folders) both builds are measured too,
 * in the same alternating rounds, each behind the same proxy (bench/ui/second-build.ts).
 */
async function navigationFigures(server: E2eServer, browser: Browser): Promise<Figure[]> {
  // The records belong to a rep, so the rep and the administrator list the same ones.
  const rep = await server.createUser({ name: 'Bench rep', roles: ['sales_rep'] });
  const repSession = await server.signIn(rep.email, rep.password);
  await seed(server, repSession);
  const listPath = '/o/opportunity';
  const json = JSON.stringify((await repSession.call('GET', `/api/records/opportunity?limit=${ROWS}`)).body);
  const baseline = await baselineServer(json);
  const builds = process.env.BENCH_UI_A && process.env.BENCH_UI_B ? await Promise.all([process.env.BENCH_UI_A, process.env.BENCH_UI_B].map((dist) => secondBuild(dist, server.base))) : [];

  // One context per page. The administrator's page used to share one with the plain table's page,
  // and measured 1.6-2x the rep's: its document arrived ~0.9 s later than the rep's, before any of
  // the app ran (in separate contexts the two measure alike, within the noise).
  const context = () => browser.newContext({ viewport: VIEWPORT, locale: 'en' });
  const [adminPage, repPage, basePage, inAppPage, startPage, ...buildPages] = await Promise.all([0, 1, 2, 3, 4, ...builds.map((_, i) => 5 + i)].map(async () => (await context()).newPage()));
  await signInByApi(adminPage!, server.base, ADMIN, listPath);
  await signInByApi(repPage!, server.base, rep, listPath);
  await signInByApi(inAppPage!, server.base, rep, '/');
  for (const [index, build] of builds.entries()) await signInByApi(buildPages[index]!, build.base, rep, listPath);

  const times = { admin: [] as number[], rep: [] as number[], table: [] as number[], inApp: [] as number[], link: [] as number[], builds: builds.map(() => [] as number[]), bare: [] as number[], booting: [] as number[] };
  await timeToRows(basePage!, `${baseline.base}/`, '.baseline-row', ROWS); // warm-up
  await timeToRows(repPage!, `${server.base}${listPath}`, '.record-table__row', ROWS);
  for (const [index, build] of builds.entries()) await timeToRows(buildPages[index]!, `${build.base}${listPath}`, '.record-table__row', ROWS);
  // The rep's rendered list, served as HTML with and without the app's scripts (snapshot-floor.ts).
  const snapshot = ONLY.has('floors') ? await snapshotPages(repPage!, RUNTIME_UI_DIST, server.base) : undefined;
  const [barePage, bootingPage] = snapshot ? await Promise.all([0, 1].map(async () => (await context()).newPage())) : [];
  if (snapshot) {
    await signInByApi(bootingPage!, snapshot.withScripts, rep, listPath);
    await timeToRows(barePage!, `${snapshot.noScript}${listPath}`, '.record-table__row', ROWS);
    await timeToRows(bootingPage!, `${snapshot.withScripts}${listPath}`, '.record-table__row', ROWS);
  }
  // Alternating rounds, so that other load on the machine falls on every side alike; the order
  // rotates each round, so no side always follows the same other one.
  const sides: (() => Promise<void>)[] = [
    async () => void times.table.push(await timeToRows(basePage!, `${baseline.base}/`, '.baseline-row', ROWS)),
    async () => void times.rep.push(await timeToRows(repPage!, `${server.base}${listPath}`, '.record-table__row', ROWS)),
    async () => void times.admin.push(await timeToRows(adminPage!, `${server.base}${listPath}`, '.record-table__row', ROWS)),
    async () => void times.inApp.push(await inAppToRows(inAppPage!, server.base, 'opportunity', ROWS, SETTLE_MS)),
    async () => void times.link.push(await linkToTable(startPage!, baseline.base, SETTLE_MS)),
    ...builds.map((build, index) => async () => void times.builds[index]!.push(await timeToRows(buildPages[index]!, `${build.base}${listPath}`, '.record-table__row', ROWS))),
    ...(snapshot
      ? [
          async () => void times.bare.push(await timeToRows(barePage!, `${snapshot.noScript}${listPath}`, '.record-table__row', ROWS)),
          async () => void times.booting.push(await timeToRows(bootingPage!, `${snapshot.withScripts}${listPath}`, '.record-table__row', ROWS)),
        ]
      : []),
  ];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let turn = 0; turn < sides.length; turn += 1) await sides[(round + turn) % sides.length]!();
  }
  if (process.env.BENCH_UI_TRACE) {
    await printTimeline(repPage!, 'rep');
    await printTimeline(adminPage!, 'admin');
    for (const [index] of builds.entries()) await printTimeline(buildPages[index]!, `build ${'AB'[index]}`);
  }
  await baseline.close();
  await Promise.all(builds.map((build) => build.close()));
  await snapshot?.close();

  const initial = initialJavaScript(RUNTIME_UI_DIST);
  return [
    figureOfRounds(`navigation to ${ROWS} painted list rows (rep) vs a plain HTML table of the same JSON`, 'ms', times.rep, times.table, false),
    figureOfRounds(`rep's list page vs the administrator's (same ${RECORDS} records)`, 'ms', times.rep, times.admin, false),
    figureOfRounds(`in-app navigation (rep): a click on the list in the menu, from Home, to ${ROWS} presented rows vs a click on a link to the plain table page`, 'ms', times.inApp, times.link, false),
    figure('initial JavaScript of / (gzip) vs the 300 KB budget', initial.gzipBytes / 1000, 'KB', 300, false),
    ...(builds.length
      ? [
          figureOfRounds(`build A (${process.env.BENCH_UI_A}) vs the plain table`, 'ms', times.builds[0]!, times.table, false),
          figureOfRounds(`build B (${process.env.BENCH_UI_B}) vs the plain table`, 'ms', times.builds[1]!, times.table, false),
          figureOfRounds('build B vs build A', 'ms', times.builds[1]!, times.builds[0]!, false),
        ]
      : []),
    ...(snapshot
      ? [
          figureOfRounds('the rendered list served as HTML, no script (a server-rendering floor) vs the plain table', 'ms', times.bare, times.table, false),
          figureOfRounds("the rendered list served as HTML with the app's scripts vs the plain table", 'ms', times.booting, times.table, false),
        ]
      : []),
  ];
}
