/**
 * A kanban board of 12 columns and 2,000 cards: a select field with 12 options and a kanban view
 * on it, made through the metadata API, and 2,000 records spread over the columns. A card is
 * dragged by its handle with the mouse across the columns in small steps, and back to where it
 * started (so no record changes and rounds repeat alike). Measured in the page during the drag:
 * each frame's main-thread time (from the frame's first pointer event, or its animation frame
 * when none came, until the frame's work is done) and the interval between frames
 * (requestAnimationFrame). Baselines: the 16 ms budget, and the same drag on a plain HTML board
 * of the same 2,000 cards (a few lines of pointer handlers, no framework), served by this bench.
 */
import { signInByApi, type ApiSession, type Page } from '../../tests/e2e/support';
import { figure, figureOfRounds, type Figure } from '../lib/results';
import { median } from '../lib/timing';
import { PAGE_HTML, plainPages, seedObject, waitInPage, type UiBench } from './support';

const OBJECT = 'bench_card';
const COLUMNS = 12;
const CARDS = 2000;
const VIEWPORT = { width: 1440, height: 900 };
/** Pointer steps of the drag, each a separate mouse move. */
const STEPS = 120;
const stages = Array.from({ length: COLUMNS }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);

function card(index: number): Record<string, unknown> {
  return { title: `Card ${String(index).padStart(4, '0')}`, stage: stages[index % COLUMNS], amount: String(100 + ((index * 53) % 9000)), due: `2026-${String((index % 12) + 1).padStart(2, '0')}-15` };
}

/** The object, its kanban view and 2,000 records, made by the administrator. */
export async function seedBoard(admin: ApiSession): Promise<void> {
  const fields = [
    { name: 'title', type: 'text', label: 'Title', required: true },
    { name: 'stage', type: 'select', label: 'Stage', options: stages.map((value, i) => ({ value, label: `Stage ${i + 1}` })) },
    { name: 'amount', type: 'currency', label: 'Amount', scale: 2 },
    { name: 'due', type: 'date', label: 'Due' },
  ];
  await seedObject(
    admin,
    { name: OBJECT, label: 'Card', plural_label: 'Cards', title_field: 'title', fields },
    { name: 'board', type: 'kanban', label: 'Board', group_by: 'stage', card_fields: ['title', 'amount', 'due'] },
    Array.from({ length: CARDS }, (_, index) => card(index)),
  );
}

/** The same 2,000 cards in 12 plain columns, dragged by a clone that follows the pointer. */
function plainBoard(): string {
  const cards = Array.from({ length: CARDS }, (_, index) => card(index));
  return `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title>
<style>body{font-family:sans-serif;margin:0}#board{display:flex;gap:12px;padding:12px;height:calc(100vh - 24px);overflow-x:auto}
.col{flex:0 0 272px;display:flex;flex-direction:column;background:#f5f5f5;border-radius:8px}.col.over{background:#e6f0ff}.col h2{font-size:14px;margin:8px}
.cards{overflow-y:auto;padding:8px}.card{background:#fff;border-radius:6px;padding:10px;margin-bottom:8px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.handle{cursor:grab;float:right}.ghost{position:fixed;top:0;left:0;width:252px;pointer-events:none;opacity:.9}</style></head>
<body><div id="board"></div>
<script>const stages = ${JSON.stringify(stages)}; const cards = ${JSON.stringify(cards)};
const board = document.getElementById('board');
const columns = new Map();
for (const stage of stages) { const col = document.createElement('section'); col.className = 'col'; col.dataset.column = stage;
  const h = document.createElement('h2'); h.textContent = stage; col.appendChild(h); const list = document.createElement('div'); list.className = 'cards'; col.appendChild(list); board.appendChild(col); columns.set(stage, list); }
for (const c of cards) { const el = document.createElement('article'); el.className = 'card';
  el.innerHTML = '<button class="handle" type="button">::</button><b></b><div></div><div></div>';
  el.querySelector('b').textContent = c.title; el.children[2].textContent = c.amount; el.children[3].textContent = c.due; columns.get(c.stage).appendChild(el); }
let ghost = null, over = null;
board.addEventListener('pointerdown', (e) => { const handle = e.target.closest('.handle'); if (!handle) return;
  ghost = handle.closest('.card').cloneNode(true); ghost.classList.add('ghost'); document.body.appendChild(ghost); move(e); });
function move(e) { if (!ghost) return; ghost.style.transform = 'translate(' + (e.clientX - 20) + 'px,' + (e.clientY - 20) + 'px)';
  const col = document.elementFromPoint(e.clientX, e.clientY)?.closest('.col') ?? null;
  if (col !== over) { over?.classList.remove('over'); col?.classList.add('over'); over = col; } }
addEventListener('pointermove', move);
addEventListener('pointerup', () => { ghost?.remove(); ghost = null; over?.classList.remove('over'); over = null; });</script></body></html>`;
}

interface DragSample {
  readonly work: number[];
  readonly intervals: number[];
}

/** Starts recording frames in the page. */
const FRAME_PROBE = `(() => {
  const frames = { work: [], intervals: [], running: true };
  window.__frames = frames;
  let frameStart = null;
  addEventListener('pointermove', () => { if (frameStart === null) frameStart = performance.now(); }, true);
  let last;
  const tick = (now) => {
    if (!frames.running) return;
    if (last !== undefined) frames.intervals.push(now - last);
    last = now;
    const started = frameStart ?? performance.now();
    frameStart = null;
    // A message posted now is handled after this frame's rendering and the tasks queued before it.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => frames.work.push(performance.now() - started);
    channel.port2.postMessage(0);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Drags from the centre of `handle` across the board to the centre of the `to`th column and back, in STEPS moves. */
async function drag(page: Page, handle: string, column: string, to: number): Promise<DragSample> {
  const from = await page.locator(handle).first().boundingBox();
  const target = await page.locator(column).nth(to).boundingBox();
  if (!from || !target) throw new Error('the card or column to drag over is not on screen');
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const end = { x: target.x + target.width / 2, y: start.y + 120 };
  await page.evaluate(FRAME_PROBE);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 10, start.y + 4);
  const half = STEPS / 2;
  for (let step = 1; step <= STEPS; step += 1) {
    const f = step <= half ? step / half : (STEPS - step) / half;
    await page.mouse.move(start.x + 10 + (end.x - start.x) * f, start.y + 4 + (end.y - start.y) * f);
  }
  await page.mouse.move(start.x, start.y);
  await page.mouse.up();
  await page.waitForTimeout(300);
  return (await page.evaluate(`(() => { window.__frames.running = false; return window.__frames; })()`)) as DragSample;
}

export async function kanbanFigures(bench: UiBench): Promise<Figure[]> {
  if (bench.seed !== false) await seedBoard(bench.admin);
  const plain = await plainPages({ '/': { type: PAGE_HTML, body: plainBoard() } });
  const context = await bench.browser.newContext({ viewport: VIEWPORT, locale: 'en' });
  try {
    const ours = await context.newPage();
    await signInByApi(ours, bench.base, bench.credentials, `/o/${OBJECT}/board/board`);
    await waitInPage(ours, `document.querySelectorAll('.board-column').length === ${COLUMNS} && [...document.querySelectorAll('.board-column')].every((c) => c.querySelector('.board-card'))`);
    const total = (await ours.evaluate(`[...document.querySelectorAll('.board-column__count')].reduce((sum, e) => sum + Number(e.textContent), 0)`)) as number;
    if (total !== CARDS) throw new Error(`the board counts ${total} cards, not ${CARDS}`);
    const base = await context.newPage();
    await base.goto(`${plain.base}/`);
    await waitInPage(base, `document.querySelectorAll('.card').length === ${CARDS}`);

    const samples = { ours: [] as DragSample[], plain: [] as DragSample[] };
    for (let round = 0; round < bench.rounds; round += 1) {
      await ours.bringToFront();
      samples.ours.push(await drag(ours, '.board-column .board-card__handle', '.board-column', 3));
      await base.bringToFront();
      samples.plain.push(await drag(base, '.col .handle', '.col', 3));
    }
    const work = samples.ours.flatMap((s) => s.work);
    console.log(
      `kanban: frames per drag ${samples.ours.map((s) => s.intervals.length).join('/')} (plain ${samples.plain.map((s) => s.intervals.length).join('/')}); ` +
        `frame work median ${median(work).toFixed(1)} ms, plain ${median(samples.plain.flatMap((s) => s.work)).toFixed(1)} ms`,
    );
    return [
      figure(`kanban ${COLUMNS} columns x ${CARDS} cards: main-thread time per frame during a drag (median of ${work.length}) vs the 16 ms budget`, median(work), 'ms', 16, false),
      figureOfRounds(
        `kanban ${COLUMNS} columns x ${CARDS} cards: frame interval during a drag (median) vs the same drag on a plain HTML board`,
        'ms',
        samples.ours.map((s) => median(s.intervals)),
        samples.plain.map((s) => median(s.intervals)),
        false,
      ),
    ];
  } finally {
    await context.close();
    await plain.close();
  }
}
