import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterFirstPaint } from './first-paint';

/** A browser's paint timing as far as afterFirstPaint reads it: its entries and an observer to report the next. */
function stubPaintTiming(paintedAlready: boolean) {
  const observers: ((entries: { getEntriesByName(name: string): unknown[] }) => void)[] = [];
  const disconnected: boolean[] = [];
  vi.stubGlobal('performance', { getEntriesByName: (name: string) => (paintedAlready && name === 'first-contentful-paint' ? [{}] : []) });
  class Observer {
    static readonly supportedEntryTypes = ['paint'];
    private readonly index: number;
    constructor(report: (list: { getEntriesByName(name: string): unknown[] }) => void) {
      this.index = observers.push(report) - 1;
      disconnected.push(false);
    }
    observe() {}
    disconnect() {
      disconnected[this.index] = true;
    }
  }
  vi.stubGlobal('PerformanceObserver', Observer);
  return {
    paint: () => observers.forEach((report) => report({ getEntriesByName: (name) => (name === 'first-contentful-paint' ? [{}] : []) })),
    disconnected,
  };
}

describe('afterFirstPaint', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('runs once the first contentful paint is reported, and not again at the fallback', () => {
    const timing = stubPaintTiming(false);
    const then = vi.fn();
    afterFirstPaint(then, 1000);
    vi.advanceTimersByTime(500);
    expect(then).not.toHaveBeenCalled();
    timing.paint();
    expect(then).toHaveBeenCalledTimes(1);
    expect(timing.disconnected).toEqual([true]);
    vi.advanceTimersByTime(2000);
    expect(then).toHaveBeenCalledTimes(1);
  });

  it('runs after the fallback when no paint is reported (a page opened in the background)', () => {
    const timing = stubPaintTiming(false);
    const then = vi.fn();
    afterFirstPaint(then, 1000);
    vi.advanceTimersByTime(999);
    expect(then).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(then).toHaveBeenCalledTimes(1);
    expect(timing.disconnected).toEqual([true]);
    timing.paint();
    expect(then).toHaveBeenCalledTimes(1);
  });

  it('runs at once (in a task) when the page has already painted, without observing', () => {
    const timing = stubPaintTiming(true);
    const then = vi.fn();
    afterFirstPaint(then, 1000);
    expect(then).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(then).toHaveBeenCalledTimes(1);
    expect(timing.disconnected).toEqual([]);
  });

  it('runs nothing once stopped (the component unmounted first)', () => {
    const timing = stubPaintTiming(false);
    const then = vi.fn();
    const stop = afterFirstPaint(then, 1000);
    stop();
    timing.paint();
    vi.advanceTimersByTime(2000);
    expect(then).not.toHaveBeenCalled();
  });

  it('falls back to the timer where paint timing is not supported', () => {
    vi.stubGlobal('performance', { getEntriesByName: () => [] });
    vi.stubGlobal('PerformanceObserver', undefined);
    const then = vi.fn();
    afterFirstPaint(then, 300);
    vi.advanceTimersByTime(300);
    expect(then).toHaveBeenCalledTimes(1);
  });
});
