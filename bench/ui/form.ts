/**
 * A form of 200 fields with 50 validation rules: an object made through the metadata API (200
 * fields of ten types, 50 JSON-Logic rules, a form layout of ten two-column sections), opened at
 * `/o/<object>/new`.
 * - First render: from the client-side navigation (list -> new record) until every field of the
 *   form is in the page and a frame has been painted with them; the lazy chunk is warm (a first
 *   navigation before the rounds), as on any navigation after the first.
 * - Keystroke: from a key's `keydown` (its event time) until the app has handled its `input`
 *   event, rendered, and the page has laid out the updated validation message. Every measured key
 *   toggles a rule's message under its field (typing "abcd" breaks the rule, Backspace mends it),
 *   so each one changes what the form shows, and each runs core's check of all 200 fields and 50 rules.
 * Baselines: the 300 ms and 16 ms budgets.
 */
import { signInByApi, type ApiSession, type BrowserContext, type Page } from '../../tests/e2e/support';
import { figure, figureOfRounds, type Figure } from '../lib/results';
import { median } from '../lib/timing';
import { secondBuild } from './second-build';
import { expectStatus, waitInPage, type UiBench } from './support';

const OBJECT = 'bench_form';
const FIELDS = 200;
const RULES = 50;
const KEYS_PER_ROUND = 20;
const TYPES = ['text', 'integer', 'decimal', 'currency', 'date', 'select', 'checkbox', 'email', 'percent', 'textarea'] as const;
const VIEWPORT = { width: 1440, height: 900 };
const INPUT = `#field-${OBJECT}-f001`;
const MESSAGE = `#field-${OBJECT}-f001-help`;

const nameOf = (index: number) => `f${String(index + 1).padStart(3, '0')}`;
const typeOf = (index: number) => TYPES[index % TYPES.length]!;

function field(index: number): Record<string, unknown> {
  const name = nameOf(index);
  const label = { en: `Field ${index + 1}`, 'zh-CN': `字段 ${index + 1}` };
  const type = typeOf(index);
  switch (type) {
    case 'select':
      return { name, type, label, options: ['a', 'b', 'c', 'd'].map((value) => ({ value, label: value.toUpperCase() })) };
    case 'checkbox':
      return { name, type: 'boolean', label };
    case 'decimal':
    case 'currency':
      return { name, type, label, scale: 2, min: 0 };
    case 'percent':
      return { name, type, label, min: 0, max: 100 };
    case 'text':
      return { name, type, label, max_length: 80 };
    default:
      return { name, type, label };
  }
}

/** Rule n reads two fields of the same type (a text, a number, a date or a choice) and compares them or a constant. */
function rule(n: number): Record<string, unknown> {
  const at = (offset: number) => nameOf((n * 4 + offset) % FIELDS);
  const v = (name: string) => ({ var: name });
  const first = n * 4 % FIELDS;
  const type = typeOf(first);
  let condition: unknown;
  if (n === 0) {
    // The rule the keystrokes toggle.
    condition = { '!=': [v('f001'), 'abcd'] };
  } else if (type === 'text' || type === 'email' || type === 'textarea') {
    condition = { or: [{ '==': [v(at(0)), null] }, { '!=': [v(at(0)), 'forbidden'] }] };
  } else if (type === 'integer' || type === 'decimal' || type === 'currency' || type === 'percent') {
    condition = { or: [{ '==': [v(at(0)), null] }, { '==': [v(at(10)), null] }, { '<=': [v(at(0)), { '+': [v(at(10)), 1_000_000] }] }] };
  } else if (type === 'date') {
    condition = { or: [{ '==': [v(at(0)), null] }, { '>=': [v(at(0)), '2000-01-01'] }] };
  } else {
    condition = { or: [{ '!=': [v(at(0)), 'd'] }, { '!!': [v(at(1))] }] };
  }
  const fields = n === 0 ? ['f001'] : [at(0)];
  return { name: `rule_${n + 1}`, condition, message: { en: `Rule ${n + 1} is broken`, 'zh-CN': `规则 ${n + 1} 不满足` }, fields };
}

/** The object with its 200 fields, 50 rules and form layout, made by the administrator. */
export async function seedForm(admin: ApiSession): Promise<void> {
  const fields = Array.from({ length: FIELDS }, (_, index) => field(index));
  expectStatus(await admin.call('POST', '/api/meta/objects', { name: OBJECT, label: 'Big form', plural_label: 'Big forms', title_field: 'f001', fields }), 201, `creating ${OBJECT}`);
  for (let n = 0; n < RULES; n += 1) expectStatus(await admin.call('POST', `/api/meta/objects/${OBJECT}/validation-rules`, rule(n)), 201, `rule ${n + 1}`);
  const sections = Array.from({ length: 10 }, (_, s) => ({
    label: { en: `Section ${s + 1}`, 'zh-CN': `分区 ${s + 1}` },
    columns: 2,
    fields: Array.from({ length: FIELDS / 10 }, (_, i) => ({ field: nameOf(s * (FIELDS / 10) + i) })),
  }));
  expectStatus(await admin.call('POST', `/api/meta/objects/${OBJECT}/layouts`, { name: `${OBJECT}_form`, type: 'form', sections }), 201, 'creating the form layout');
}

/** Client-side navigation (as a link does) to `path`; resolves with the ms until `ready` holds and a frame is painted. */
function navigateInPage(page: Page, path: string, ready: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const started = performance.now();
    history.pushState({}, '', ${JSON.stringify(path)});
    dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    const check = () => {
      if (${ready}) requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0));
      else requestAnimationFrame(check);
    };
    check();
  })`) as Promise<number>;
}

/**
 * Listens for keys in the page: each key's time from its keydown until the rule's message is as
 * `window.__expect` says (shown or not), checked after each task that follows the key's input
 * event (React renders and commits there, or in tasks it schedules), with layout done.
 */
const KEY_PROBE = `(() => {
  window.__keys = [];
  let down;
  document.addEventListener('keydown', (event) => { down = event.timeStamp; }, true);
  document.addEventListener('input', () => {
    const started = down;
    const expect = window.__expect;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const message = document.querySelector(${JSON.stringify(MESSAGE)});
      void document.body.offsetHeight;
      const now = performance.now();
      if ((message !== null) === expect) window.__keys.push({ ms: now - started, message: message ? message.textContent : null });
      else if (now - started > 5000) window.__keys.push({ ms: NaN, message: message ? message.textContent : null });
      else channel.port2.postMessage(0);
    };
    channel.port2.postMessage(0);
  }, true);
})()`;

const formReady = `document.querySelectorAll('.form-field').length >= ${FIELDS}`;
const listReady = `location.pathname === '/o/${OBJECT}' && document.querySelector('.record-list') !== null`;

/** One build of the UI measured in its own browser context: its first renders and keystrokes. */
interface FormSide {
  readonly label: string;
  readonly page: Page;
  readonly renders: number[];
  keys: { ms: number; message: string | null }[];
}

async function openSide(bench: UiBench, base: string, label: string, context: BrowserContext): Promise<FormSide> {
  const page = await context.newPage();
  await signInByApi(page, base, bench.credentials, `/o/${OBJECT}`);
  await waitInPage(page, listReady);
  // Warm: the form's lazy chunk loaded once.
  await navigateInPage(page, `/o/${OBJECT}/new`, formReady);
  return { label, page, renders: [], keys: [] };
}

async function renderRound({ page, renders }: FormSide): Promise<void> {
  await page.bringToFront();
  await navigateInPage(page, `/o/${OBJECT}`, listReady);
  await page.waitForTimeout(200);
  renders.push(await navigateInPage(page, `/o/${OBJECT}/new`, formReady));
}

/** Puts the caret in the measured field with "abc" typed (one letter short of breaking rule 1) and starts the probe. */
async function readyToType({ page }: FormSide): Promise<void> {
  await page.bringToFront();
  await page.locator(INPUT).click();
  await page.keyboard.type('abc', { delay: 50 });
  await page.waitForTimeout(300);
  await page.evaluate(KEY_PROBE);
}

/** KEYS_PER_ROUND keys (an even number: the field ends each round as it started, "abc"). */
async function keyRound(side: FormSide): Promise<void> {
  const { page } = side;
  await page.bringToFront();
  await page.locator(INPUT).focus();
  for (let key = 0; key < KEYS_PER_ROUND; key += 1) {
    await page.evaluate(`window.__expect = ${key % 2 === 0}`);
    await page.keyboard.press(key % 2 === 0 ? 'd' : 'Backspace');
    await page.waitForTimeout(120);
  }
  side.keys = (await page.evaluate('window.__keys')) as { ms: number; message: string | null }[];
}

function keyTimes({ label, keys }: FormSide, expected: number): number[] {
  const toggled = keys.every((k, i) => Number.isFinite(k.ms) && (i % 2 === 0 ? k.message === 'Rule 1 is broken' : k.message === null));
  if (keys.length !== expected || !toggled) throw new Error(`${label}: the rule's message did not follow the keys: ${JSON.stringify(keys.slice(0, 4))}`);
  return keys.map((k) => k.ms);
}

/**
 * The form's figures. With `BENCH_UI_A` and `BENCH_UI_B` (two dist folders, as for navigation)
 * both builds are measured in alternating rounds of the same run (bench/ui/second-build.ts): on a
 * shared machine only such a comparison tells a change from the noise.
 */
export async function formFigures(bench: UiBench): Promise<Figure[]> {
  if (bench.seed !== false) await seedForm(bench.admin);
  const dists = process.env.BENCH_UI_A && process.env.BENCH_UI_B ? [process.env.BENCH_UI_A, process.env.BENCH_UI_B] : [];
  const builds = await Promise.all(dists.map((dist) => secondBuild(dist, bench.base)));
  const contexts: BrowserContext[] = [];
  try {
    const bases = builds.length ? builds.map((build, i) => ({ base: build.base, label: `build ${'AB'[i]} (${dists[i]})` })) : [{ base: bench.base, label: 'ours' }];
    const sides: FormSide[] = [];
    for (const { base, label } of bases) {
      const context = await bench.browser.newContext({ viewport: VIEWPORT, locale: 'en' });
      contexts.push(context);
      sides.push(await openSide(bench, base, label, context));
    }
    // Alternating rounds; the order rotates each round, so no side always follows the other.
    const alternate = async (measure: (side: FormSide) => Promise<void>, rounds: number) => {
      for (let round = 0; round < rounds; round += 1) {
        for (let turn = 0; turn < sides.length; turn += 1) await measure(sides[(round + turn) % sides.length]!);
      }
    };
    await alternate(renderRound, bench.rounds * 2);
    for (const side of sides) await readyToType(side);
    await alternate(keyRound, bench.rounds);

    const results = sides.map((side) => ({ side, times: keyTimes(side, bench.rounds * KEYS_PER_ROUND) }));
    for (const { side, times } of results) {
      console.log(`form (${side.label}): first render ${side.renders.map((r) => Math.round(r)).join(', ')} ms; keystrokes ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
    }
    const named = (label: string, what: string) => `${FIELDS}-field form with ${RULES} rules: ${what}${builds.length ? `, ${label}` : ''}`;
    const figures = results.flatMap(({ side, times }) => [
      figure(named(side.label, `first render (median of ${side.renders.length} navigations) vs the 300 ms budget`), median(side.renders), 'ms', 300, false),
      figure(named(side.label, `keystroke to updated validation (median of ${times.length}) vs the 16 ms budget`), median(times), 'ms', 16, false),
    ]);
    if (results.length === 2) {
      const [a, b] = results;
      figures.push(figureOfRounds('form first render: build B vs build A', 'ms', b!.side.renders, a!.side.renders, false));
      figures.push(figureOfRounds('form keystroke: build B vs build A', 'ms', b!.times, a!.times, false));
    }
    return figures;
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all(builds.map((build) => build.close()));
  }
}
