/**
 * Scrolling 10,000 loaded rows of a list view: a scripted scroll from the top to the bottom of
 * the list (a fixed distance each animation frame, in the page), after every row is loaded
 * (keyset pages, as the list loads them). Measured during the scroll: tasks over 50 ms (Long
 * Tasks API), the longest frame (requestAnimationFrame intervals) and the most row elements in
 * the DOM at once. Baselines: the same scroll of a plain HTML table holding all 10,000 rows (no
 * framework, no virtualisation), served by this bench; the 50 ms and 100-row budgets.
 */
import { signInByApi, type ApiSession, type Page } from '../../tests/e2e/support';
import { figure, figureOfRounds, type Figure } from '../lib/results';
import { median } from '../lib/timing';
import { PAGE_HTML, plainPages, seedObject, waitInPage, type UiBench } from './support';
import { traceLongTasks } from './task-trace';

const OBJECT = 'bench_row';
const ROWS = 10_000;
const STATUSES = ['open', 'waiting', 'done', 'dropped'];
/** Pixels scrolled per animation frame: a brisk fling, about 20 rows a frame. */
const STEP = 900;
const VIEWPORT = { width: 1440, height: 900 };
/** The list's sticky header row (runtime-ui list.css): rows must cover the view below it. */
const HEADER = 44;

function record(index: number): Record<string, unknown> {
  return {
    title: `Row ${String(index).padStart(5, '0')}`,
    amount: String((index * 37) % 100_000),
    status: STATUSES[index % STATUSES.length],
    due: `2026-${String((index % 12) + 1).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')}`,
    note: `Note ${index % 97}`,
  };
}

/** The object, its list view and 10,000 records, made by the administrator. */
export async function seedRows(admin: ApiSession): Promise<void> {
  const fields = [
    { name: 'title', type: 'text', label: 'Title', required: true },
    { name: 'amount', type: 'currency', label: 'Amount', scale: 2 },
    { name: 'status', type: 'select', label: 'Status', options: STATUSES.map((value) => ({ value, label: value })) },
    { name: 'due', type: 'date', label: 'Due' },
    { name: 'note', type: 'text', label: 'Note' },
  ];
  await seedObject(
    admin,
    { name: OBJECT, label: 'Row', plural_label: 'Rows', title_field: 'title', fields },
    // The largest page a view may ask for, so loading every row takes 20 requests rather than 100.
    { name: 'all_rows', type: 'list', label: 'All rows', columns: ['title', 'amount', 'status', 'due', 'note'], sort: [{ field: 'title' }], page_size: 500 },
    Array.from({ length: ROWS }, (_, index) => record(index)),
  );
}

/** All 10,000 rows in one plain table, rendered by a script from the same values. */
function plainTable(): string {
  const rows = Array.from({ length: ROWS }, (_, index) => record(index));
  return `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title>
<style>body{font-family:sans-serif;margin:0}#scroller{height:800px;overflow:auto}td,th{height:43px;padding:0 12px;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}</style></head>
<body><div id="scroller"><table><thead><tr><th>Title</th><th>Amount</th><th>Status</th><th>Due</th><th>Note</th></tr></thead><tbody id="rows"></tbody></table></div>
<script>const data = ${JSON.stringify(rows)};
const body = document.getElementById('rows');
for (const row of data) { const tr = document.createElement('tr'); tr.className = 'baseline-row';
  for (const key of ['title', 'amount', 'status', 'due', 'note']) { const td = document.createElement('td'); td.textContent = row[key]; tr.appendChild(td); }
  body.appendChild(tr); }</script></body></html>`;
}

interface ScrollSample {
  readonly longTasks: number[];
  readonly longestFrame: number;
  readonly medianFrame: number;
  readonly mostRows: number;
  readonly frames: number;
  /** Frames in which rendered rows left part of the view blank (counted when a header height is given). */
  readonly blankFrames: number;
}

/**
 * The scroll, run in the page: `scroller` is scrolled by STEP pixels each animation frame from the
 * top to the bottom; resolves with what was seen meanwhile. With `header` (the height of a sticky
 * header), each frame also checks that the rows in the DOM cover the view below it: a virtualised
 * list rendering late would show blank space.
 */
export function scrollInPage(page: Page, scroller: string, rows: string, header?: number): Promise<ScrollSample> {
  return page.evaluate(`new Promise((resolve) => {
    const scroller = document.querySelector(${JSON.stringify(scroller)});
    const count = () => document.querySelectorAll(${JSON.stringify(rows)}).length;
    const longTasks = [];
    const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push(entry.duration); });
    observer.observe({ type: 'longtask' });
    let mostRows = count();
    const mutations = new MutationObserver(() => { mostRows = Math.max(mostRows, count()); });
    mutations.observe(scroller, { childList: true, subtree: true });
    const frames = [];
    let last;
    let blankFrames = 0;
    const blank = () => {
      const view = scroller.getBoundingClientRect();
      const spans = [...document.querySelectorAll(${JSON.stringify(rows)})].map((row) => row.getBoundingClientRect()).sort((a, b) => a.top - b.top);
      let covered = view.top + ${header ?? 0};
      for (const span of spans) { if (span.top > covered + 0.5) return true; covered = Math.max(covered, span.bottom); }
      return covered < Math.min(view.bottom, view.top + scroller.scrollHeight - scroller.scrollTop) - 0.5;
    };
    scroller.scrollTop = 0;
    const tick = (now) => {
      if (last !== undefined) frames.push(now - last);
      last = now;
      mostRows = Math.max(mostRows, count());
      if (${header !== undefined} && blank()) blankFrames += 1;
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) {
        // One more frame, so a task the last step caused is seen by the observers.
        requestAnimationFrame(() => setTimeout(() => {
          for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
          observer.disconnect(); mutations.disconnect();
          const sorted = [...frames].sort((a, b) => a - b);
          resolve({ longTasks, longestFrame: sorted.at(-1) ?? 0, medianFrame: sorted[Math.floor(sorted.length / 2)] ?? 0, mostRows, frames: frames.length, blankFrames });
        }, 0));
        return;
      }
      scroller.scrollTop += ${STEP};
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`) as Promise<ScrollSample>;
}

/** Scrolls the list to its end until every record is loaded (the list asks for the next page near its end). */
export async function loadEveryRow(page: Page): Promise<void> {
  const loaded = () => page.evaluate(`Number(document.querySelector('.record-table')?.getAttribute('aria-rowcount') ?? 1) - 1`) as Promise<number>;
  const deadline = Date.now() + 180_000;
  while ((await loaded()) < ROWS) {
    if (Date.now() > deadline) throw new Error(`only ${await loaded()} of ${ROWS} rows loaded`);
    await page.evaluate(`(() => { const s = document.querySelector('.record-table'); s.scrollTop = s.scrollHeight; })()`);
    await page.waitForTimeout(100);
  }
}

export async function scrollFigures(bench: UiBench): Promise<Figure[]> {
  if (bench.seed !== false) await seedRows(bench.admin);
  const plain = await plainPages({ '/': { type: PAGE_HTML, body: plainTable() } });
  const context = await bench.browser.newContext({ viewport: VIEWPORT, locale: 'en' });
  try {
    const ours = await context.newPage();
    await signInByApi(ours, bench.base, bench.credentials, `/o/${OBJECT}?view=all_rows`);
    await waitInPage(ours, `document.querySelectorAll('.record-table__row').length > 0`);
    await loadEveryRow(ours);
    const base = await context.newPage();
    await base.goto(`${plain.base}/`);
    await waitInPage(base, `document.querySelectorAll('.baseline-row').length === ${ROWS}`);

    const samples = { ours: [] as ScrollSample[], plain: [] as ScrollSample[] };
    for (let round = 0; round < bench.rounds; round += 1) {
      await ours.bringToFront();
      samples.ours.push(await scrollInPage(ours, '.record-table', '.record-table__row', HEADER));
      await base.bringToFront();
      samples.plain.push(await scrollInPage(base, '#scroller', '.baseline-row'));
    }
    if (process.env.BENCH_UI_TRACE) {
      // One more run of each side under a trace, outside the figures: what any task over 50 ms was.
      await ours.bringToFront();
      await traceLongTasks(bench.browser, ours, 'scroll, ours', () => scrollInPage(ours, '.record-table', '.record-table__row', HEADER));
      await base.bringToFront();
      await traceLongTasks(bench.browser, base, 'scroll, plain table', () => scrollInPage(base, '#scroller', '.baseline-row'));
    }
    const loaded = (await ours.evaluate(`Number(document.querySelector('.record-table').getAttribute('aria-rowcount')) - 1`)) as number;
    if (loaded !== ROWS) throw new Error(`the list holds ${loaded} rows, not ${ROWS}`);
    const longTasks = samples.ours.flatMap((s) => s.longTasks);
    const longest = longTasks.length ? Math.max(...longTasks) : 0;
    console.log(
      `scroll: ${samples.ours.map((s) => s.frames).join('/')} frames per round (plain: ${samples.plain.map((s) => s.frames).join('/')}); ` +
        `tasks over 50 ms: ${longTasks.length} (${longTasks.map((t) => Math.round(t)).join(', ') || 'none'}); plain page: ${samples.plain.flatMap((s) => s.longTasks).length}; ` +
        `median frame ${median(samples.ours.map((s) => s.medianFrame)).toFixed(1)} ms (plain ${median(samples.plain.map((s) => s.medianFrame)).toFixed(1)} ms); ` +
        `frames with blank rows in view: ${samples.ours.map((s) => s.blankFrames).join('/')}`,
    );
    return [
      // Long tasks are only those over 50 ms: 0 means none was seen.
      { ...figure(`scrolling ${ROWS} loaded rows: longest task over 50 ms (Long Tasks API; 0 = none) vs the 50 ms budget`, longest, 'ms', 50, false), ...(longest === 0 ? { ratio: null } : {}) },
      // The same count on the plain table: a task the browser has in any long scroll (a GC, the machine's
      // other load preempting the page) shows on both sides. BENCH_UI_TRACE=1 tells what each one was.
      { ...figure(`scrolling ${ROWS} loaded rows: tasks over 50 ms (Long Tasks API) vs the same scroll of the plain table`, longTasks.length, 'tasks', samples.plain.flatMap((s) => s.longTasks).length, false), ratio: null },
      figureOfRounds(`scrolling ${ROWS} loaded rows: longest frame vs the same scroll of a plain ${ROWS}-row HTML table`, 'ms', samples.ours.map((s) => s.longestFrame), samples.plain.map((s) => s.longestFrame), false),
      figure(`scrolling ${ROWS} loaded rows: most row elements in the DOM vs the 100-row budget`, Math.max(...samples.ours.map((s) => s.mostRows)), 'rows', 100, false),
      // Few rows beyond the view keep each frame's work small; they must still leave no blank space.
      figure(`scrolling ${ROWS} loaded rows: frames showing blank space where rows belong (of ${samples.ours.reduce((sum, s) => sum + s.frames, 0)})`, samples.ours.reduce((sum, s) => sum + s.blankFrames, 0), 'frames', 0, false),
    ];
  } finally {
    await context.close();
    await plain.close();
  }
}
