/**
 * Calls `then` once the page's first contentful paint is on screen (soon, when it already is), or
 * after `fallbackMs` at the latest: a page opened in the background reports no paint until shown.
 * The browser reports that paint when the frame is presented, after its raster; work started at
 * React's commit instead (an effect, even a transition) took the CPU from that raster, and on a
 * two-core machine held the first list's rows off the screen for ~200 ms.
 */
export function afterFirstPaint(then: () => void, fallbackMs = 1000): () => void {
  const painted = () => performance.getEntriesByName('first-contentful-paint').length > 0;
  let observer: PerformanceObserver | undefined;
  let done = false;
  const stop = () => {
    done = true;
    clearTimeout(timer);
    observer?.disconnect();
  };
  const run = () => {
    if (done) return;
    stop();
    then();
  };
  const timer = setTimeout(run, painted() ? 0 : fallbackMs);
  if (!painted() && typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes.includes('paint')) {
    observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length > 0) run();
    });
    observer.observe({ type: 'paint' });
  }
  return stop;
}
