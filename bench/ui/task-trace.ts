/**
 * What a long task was (`BENCH_UI_TRACE=1`): a Chromium trace of one measured run, and for each
 * task over 50 ms on the page's main thread, its wall time beside the CPU time the thread got in
 * it (a task the machine's other load preempted shows much less CPU than wall time), which
 * animation frame of the run it fell in, and the work inside it (script, style, layout, paint, GC).
 */
import type { Browser, Page } from '../../tests/e2e/support';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string; readonly data?: Record<string, unknown> };
}

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8',
  'disabled-by-default-v8.gc',
  'blink.user_timing',
];
const LONG = 50_000; // µs

/** Runs `measure` under a trace and prints what each long task on the page's main thread did. */
export async function traceLongTasks<T>(browser: Browser, page: Page, label: string, measure: () => Promise<T>): Promise<T> {
  await browser.startTracing(page, { categories: CATEGORIES });
  const result = await measure();
  const buffer = await browser.stopTracing();
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  console.log(`-- ${label}: ${describeLongTasks(events).join('\n') || 'no task over 50 ms'}`);
  return result;
}

function mainThreads(events: readonly TraceEvent[]): Set<string> {
  return new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
}

function detail(event: TraceEvent): string {
  const data = event.args?.data ?? {};
  const bits = ['functionName', 'url', 'type', 'frame', 'usedHeapSizeBefore', 'usedHeapSizeAfter'].filter((key) => data[key] !== undefined && data[key] !== '').map((key) => `${key}=${String(data[key]).slice(0, 80)}`);
  return bits.length ? ` (${bits.join(' ')})` : '';
}

/** One line per long task, then its slices of 2 ms or more, indented by nesting. */
export function describeLongTasks(events: readonly TraceEvent[]): string[] {
  const threads = mainThreads(events);
  const onMain = events.filter((e) => threads.has(`${e.pid}:${e.tid}`) && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const frames = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts);
  // The scheduler's task slices, outermost only (a GC's slices sometimes enclose later tasks: skipped).
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const lines: string[] = [`${frames.length} animation frames traced`];
  for (const task of tasks.filter((t) => t.dur! > LONG && !tasks.some((other) => other !== t && other.ts <= t.ts && other.ts + other.dur! >= t.ts + t.dur!))) {
    const end = task.ts + task.dur!;
    const frame = frames.filter((ts) => ts < task.ts).length;
    lines.push(`task ${(task.dur! / 1000).toFixed(1)} ms wall, ${task.tdur !== undefined ? `${(task.tdur / 1000).toFixed(1)} ms` : '?'} CPU, after animation frame ${frame} of ${frames.length}`);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end && e.dur! >= 2_000);
    const open: TraceEvent[] = [];
    for (const event of inside) {
      while (open.length && open.at(-1)!.ts + open.at(-1)!.dur! <= event.ts) open.pop();
      lines.push(`${'  '.repeat(open.length + 1)}${event.name} ${(event.dur! / 1000).toFixed(1)} ms${event.tdur !== undefined ? ` (CPU ${(event.tdur / 1000).toFixed(1)})` : ''}${detail(event)}`);
      open.push(event);
    }
  }
  return lines;
}
