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

/**
 * The traced page's main thread: the renderer main thread with the most animation frames (a trace
 * covers the whole browser, and the bench's other page, in the background, runs no frames).
 */
function pageThread(events: readonly TraceEvent[]): string | undefined {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const frames = new Map<string, number>();
  for (const e of events) if (e.name === 'FireAnimationFrame' && mains.has(`${e.pid}:${e.tid}`)) frames.set(`${e.pid}:${e.tid}`, (frames.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  return [...frames.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function detail(event: TraceEvent): string {
  const data = event.args?.data ?? {};
  const bits = ['functionName', 'url', 'type', 'frame', 'usedHeapSizeBefore', 'usedHeapSizeAfter'].filter((key) => data[key] !== undefined && data[key] !== '').map((key) => `${key}=${String(data[key]).slice(0, 80)}`);
  return bits.length ? ` (${bits.join(' ')})` : '';
}

/** One line per long task, then its slices of 2 ms or more, indented by nesting. */
export function describeLongTasks(events: readonly TraceEvent[]): string[] {
  const thread = pageThread(events);
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const frames = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts);
  // The scheduler's task slices, outermost only (a GC's slices sometimes enclose later tasks: skipped).
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const top = tasks.filter((t) => !tasks.some((other) => other !== t && other.ts <= t.ts && other.ts + other.dur! >= t.ts + t.dur!));
  const cpu = top.map((t) => t.tdur ?? 0).sort((a, b) => a - b);
  const lines: string[] = [
    `${frames.length} animation frames traced; CPU time of the page's ${cpu.length} tasks: longest ${((cpu.at(-1) ?? 0) / 1000).toFixed(1)} ms, ` +
      `99th percentile ${((cpu[Math.floor(cpu.length * 0.99)] ?? 0) / 1000).toFixed(1)} ms, total ${(cpu.reduce((sum, c) => sum + c, 0) / 1000).toFixed(0)} ms`,
  ];
  // Requests sent during the run (a refetch lands in the scroll as a long task of its own).
  for (const request of events.filter((e) => e.name === 'ResourceSendRequest' && `${e.pid}:${e.tid}` === thread)) {
    lines.push(`request at animation frame ${frames.filter((ts) => ts < request.ts).length}: ${String(request.args?.data?.url ?? '').replace(/^https?:\/\/[^/]+/, '').slice(0, 120)}`);
  }
  for (const task of top.filter((t) => t.dur! > LONG)) {
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
